//! `/helpdesk/people/:id`: the person on the phone as the helpdesk sees them:
//! status, methods by kind and name, recent sign-ins in words; then verify the
//! caller, unlock, issue a temporary access pass, as policy allows.

use super::admin_person::RecentSignIns;
use super::helpdesk::HELPDESK_PATH;
use super::helpdesk_forms::{
    HelpdeskUnlockButton, IssuePassForm, PhoneCallerCheckForm, VerifyCallerForm, ViewAsForm,
};
use crate::api::helpdesk::helpdesk_person;
use crate::components::{AreaLayout, Loaded, PortalLayout, TableCard};
use crate::domain::Role;
use crate::domain::helpdesk::{CallerCheckView, HelpdeskPersonView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn HelpdeskPersonPage() -> impl IntoView {
    view! {
        <Title text="Caller · Helpdesk" />
        <PortalLayout required=Role::Helpdesk>
            <AreaLayout area="Helpdesk" summary="Help people get back into their accounts.">
                <CallerPanel />
            </AreaLayout>
        </PortalLayout>
    }
}

#[component]
fn CallerPanel() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let person = Resource::new(id, |id| helpdesk_person(id.unwrap_or(0)));
    view! {
        <p><a href=HELPDESK_PATH>"← Back to the search"</a></p>
        <Loaded data=person then=|person| view! { <CallerSections person /> } />
    }
}

#[component]
fn CallerSections(person: HelpdeskPersonView) -> impl IntoView {
    let account = [
        &person.disabled_since,
        &person.blocked_since,
        &person.locked_until,
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect::<Vec<_>>();
    let locked = person.locked_until.is_some();
    let account = if account.is_empty() {
        "Active".to_owned()
    } else {
        account.join(" · ")
    };
    let methods: Vec<String> = person
        .code_methods
        .iter()
        .map(|m| format!("{} · {}", m.name, m.kind_label))
        .chain(person.phones.iter().map(|phone| phone.description.clone()))
        .collect();
    view! {
        <h1>{person.display_name.clone()}</h1>
        <div class="cards">
            <section class="card" aria-labelledby="caller-status-title">
                <h2 id="caller-status-title">"Status"</h2>
                <dl class="facts">
                    <dt>"Username"</dt><dd>{person.username.clone()}</dd>
                    <dt>"E-mail"</dt><dd>{person.email.clone()}</dd>
                    <dt>"Role"</dt><dd>{person.role.label()}</dd>
                    <dt>"Account"</dt><dd data-testid="account-status">{account}</dd>
                    {person.live_pass.clone().map(|pass| view! { <dt>"Access pass"</dt><dd>{pass}</dd> })}
                </dl>
                <h3>"Ways to sign in"</h3>
                {if methods.is_empty() {
                    view! { <p class="muted">"None registered."</p> }.into_any()
                } else {
                    view! { <ul>{methods.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> }.into_any()
                }}
            </section>
            <HelpSection person=person.clone() locked />
        </div>
        <CallerChecks rows=person.checks.clone() />
        <RecentSignIns rows=person.sign_ins />
    }
}

/// Verify the caller, then what policy lets the agent do.
#[component]
fn HelpSection(person: HelpdeskPersonView, locked: bool) -> impl IntoView {
    if let Some(why) = person.not_helpable {
        return view! {
            <section class="card" aria-labelledby="caller-help-title">
                <h2 id="caller-help-title">"Help"</h2>
                <p class="alert alert-info" role="status">{why}</p>
            </section>
        }
        .into_any();
    }
    let policy = person.policy;
    let verified = person.verified.is_some();
    let view_as = match person.not_viewable {
        Some(why) => view! { <p class="muted">{why}</p> }.into_any(),
        None if policy.view_needs_verified_caller && !verified => {
            view! { <p class="muted">"Verify the caller to view their portal."</p> }.into_any()
        }
        None => view! {
            <p class="muted small">"See the person's account, Security info and sign-ins exactly as they do, read-only; they are e-mailed and see the visit in their sign-ins."</p>
            <ViewAsForm user_id=person.id max_minutes=policy.view_max_minutes />
        }
        .into_any(),
    };
    let methods: Vec<(i64, String)> = person
        .code_methods
        .iter()
        .map(|m| (m.id, format!("{} · {}", m.name, m.kind_label)))
        .collect();
    let phones: Vec<(i64, String, bool)> = person
        .phones
        .iter()
        .map(|phone| (phone.method_id, phone.description.clone(), phone.takes_sms))
        .collect();
    let verification = match person.verified {
        Some(v) => view! {
            <p class="alert alert-ok" role="status" data-testid="caller-verified">
                {format!("Caller verified by {} until {} UTC.", v.how, v.until)}
            </p>
        }
        .into_any(),
        None if methods.is_empty() && phones.is_empty() => view! {
            <p class="muted">"The person has no app, token or phone to receive a code on. An administrator can help them."</p>
        }
        .into_any(),
        None => view! {
            <p>"Not verified yet. Ask the caller for the code their app or token shows now, or send a code to their phone."</p>
            {(!methods.is_empty()).then(|| view! {
                <h4>"A code from their app or token"</h4>
                <VerifyCallerForm user_id=person.id methods />
            })}
            {(!phones.is_empty()).then(|| view! {
                <h4>"A code sent to their phone"</h4>
                <PhoneCallerCheckForm user_id=person.id phones />
            })}
        }
        .into_any(),
    };
    let needs = |needed: bool| needed && !verified;
    let unlock = match (locked, policy.may_unlock) {
        (false, _) => None,
        (true, false) => Some(
            view! { <p class="muted">"The policy does not let the helpdesk unlock accounts."</p> }
                .into_any(),
        ),
        (true, true) if needs(policy.unlock_needs_verified_caller) => Some(
            view! { <p class="muted">"Verify the caller to unlock the account."</p> }.into_any(),
        ),
        (true, true) => Some(view! { <HelpdeskUnlockButton user_id=person.id /> }.into_any()),
    };
    let uses = if policy.pass_reusable {
        "as often as needed"
    } else {
        "once"
    };
    let pass_hint = format!(
        "A pass signs the person in {uses} within {} minutes, without their password or phone, so they can set up a new way to sign in.",
        policy.pass_minutes
    );
    let pass = if !policy.may_issue_pass {
        view! { <p class="muted">"The policy does not let the helpdesk issue temporary access passes."</p> }.into_any()
    } else if needs(policy.pass_needs_verified_caller) {
        view! { <p class="muted">"Verify the caller to issue a temporary access pass."</p> }
            .into_any()
    } else {
        view! { <p class="muted small">{pass_hint}</p><IssuePassForm user_id=person.id /> }
            .into_any()
    };
    view! {
        <section class="card" aria-labelledby="caller-help-title">
            <h2 id="caller-help-title">"Help"</h2>
            <h3>"Verify the caller"</h3>
            {verification}
            {unlock.map(|unlock| view! { <h3>"Locked account"</h3>{unlock} })}
            <h3>"Temporary access pass"</h3>
            {pass}
            <h3>"View as the person"</h3>
            {view_as}
        </section>
    }
    .into_any()
}

#[component]
fn CallerChecks(rows: Vec<CallerCheckView>) -> impl IntoView {
    view! {
        <TableCard
            id="caller-checks-title"
            title="Your checks of this caller"
            caption="Your latest attempts to verify this person"
            headers=&["When", "How", "Result"]
            empty=rows.is_empty().then_some("You have not checked this caller yet.")
        >
            {rows.into_iter().map(|row| view! {
                <tr>
                    <td data-label="When">{row.when}</td>
                    <td data-label="How">{row.how}</td>
                    <td data-label="Result">
                        {if row.verified { "Verified" } else { "Not verified" }}
                        <span class="note">{row.result}</span>
                    </td>
                </tr>
            }).collect_view()}
        </TableCard>
    }
}
