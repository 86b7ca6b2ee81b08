//! `/admin`: the administrators' area.

use crate::api::admin::admin_overview;
use crate::components::{AdminNav, AreaLayout, Loaded, PortalLayout};
use crate::domain::Role;
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
    let overview = Resource::new(|| (), |_| admin_overview());
    view! {
        <h1>"Overview"</h1>
        <Loaded data=overview then=|data| view! { <OverviewCards data /> } />
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
