//! `/admin`: the administrators' area.

use crate::api::admin::{admin_dashboard, admin_overview};
use crate::components::{AdminNav, AreaLayout, BarChart, Loaded, PortalLayout, TableCard};
use crate::domain::Role;
use crate::domain::dashboard::{DashboardView, DeliveryRow};
use crate::domain::views::{AdminSummary, CountRow};
use crate::pages::helpdesk::LockedAccountsTable;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <Title text="Admin" />
        <PortalLayout required=Role::Admin>
            <AreaLayout area="Admin" summary="Users, MFA states and account safety across the portal.">
                <AdminNav />
                <AdminOverviewPanel />
            </AreaLayout>
        </PortalLayout>
    }
}

#[component]
fn AdminOverviewPanel() -> impl IntoView {
    let dashboard = Resource::new(|| (), |_| admin_dashboard());
    let overview = Resource::new(|| (), |_| admin_overview());
    view! {
        <h1>"Overview"</h1>
        <Loaded data=dashboard then=|data| view! { <Dashboard data /> } />
        <Loaded data=overview then=|data| view! { <OverviewCards data /> } />
    }
}

#[component]
fn Dashboard(data: DashboardView) -> impl IntoView {
    let attention = [
        (
            "Open fraud reports",
            data.open_fraud_reports,
            Some("/admin/fraud"),
        ),
        (
            "Enforced, nothing registered",
            data.enforced_unregistered,
            None,
        ),
        ("Locked now", data.locked, None),
        ("Blocked", data.blocked, None),
        ("Disabled", data.disabled, None),
    ];
    view! {
        <section class="card" aria-labelledby="attention-title">
            <h2 id="attention-title">"Needs attention"</h2>
            <dl class="facts facts-counts">
                {attention.into_iter().map(|(label, count, link)| view! {
                    <dt>{match link {
                        Some(href) => view! { <a href=href>{label}</a> }.into_any(),
                        None => view! { <span>{label}</span> }.into_any(),
                    }}</dt>
                    <dd data-testid="attention-count">{count}</dd>
                }).collect_view()}
            </dl>
        </section>
        <div class="cards">
            {data.periods.into_iter().enumerate().map(|(n, period)| {
                let heading = format!("sign-ins-{n}-title");
                let labelled_by = heading.clone();
                view! {
                    <section class="card" aria-labelledby=labelled_by>
                        <h2 id=heading>{format!("Sign-ins: {}", period.title.to_lowercase())}</h2>
                        <BarChart id=format!("outcome-{n}") title=format!("By outcome, {}", period.title.to_lowercase()) bars=period.by_outcome />
                        <BarChart id=format!("method-{n}") title=format!("By method, {}", period.title.to_lowercase()) bars=period.by_method />
                    </section>
                }
            }).collect_view()}
            <section class="card" aria-labelledby="coverage-title">
                <h2 id="coverage-title">"Registration"</h2>
                <p class="muted small">{format!("People with a way to sign in, of {} accounts.", data.users)}</p>
                <BarChart id="coverage".to_owned() title="People registered, by method".to_owned() bars=data.coverage scale=data.users />
            </section>
        </div>
        <DeliveryTable rows=data.delivery />
    }
}

#[component]
fn DeliveryTable(rows: Vec<DeliveryRow>) -> impl IntoView {
    view! {
        <TableCard
            id="delivery-title"
            title="Message delivery"
            caption="Texts, calls and e-mails in the outbox by state"
            headers=&["Channel", "Queued", "Sent", "Failed"]
            empty=rows.is_empty().then_some("Nothing sent yet.")
        >
            {rows.into_iter().map(|row| view! {
                <tr>
                    <td data-label="Channel">{row.channel}</td>
                    <td data-label="Queued">{row.queued}</td>
                    <td data-label="Sent">{row.sent}</td>
                    <td data-label="Failed">{row.failed}</td>
                </tr>
            }).collect_view()}
        </TableCard>
    }
}

#[component]
fn OverviewCards(data: AdminSummary) -> impl IntoView {
    view! {
        <div class="cards">
            <CountCard title="Users by role" rows=data.users_by_role />
            <CountCard title="Users by MFA state" rows=data.users_by_mfa_state />
        </div>
        <LockedAccountsTable accounts=data.locked_accounts />
    }
}

#[component]
fn CountCard(title: &'static str, rows: Vec<CountRow>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>{title}</h2>
            <dl class="facts facts-counts">
                {rows
                    .into_iter()
                    .map(|row| view! { <dt>{row.label}</dt><dd>{row.count}</dd> })
                    .collect_view()}
            </dl>
        </section>
    }
}
