//! `/admin/users/:id`: one person as an admin sees them. Profile, methods, phones,
//! app passwords, remembered browsers, sessions, recent sign-ins and the audit
//! entries about them; never a secret.

use super::admin_people::PEOPLE_PATH;
use super::admin_person_actions::{
    AccountActions, AccountFacts, BypassForm, OrgPhoneForm, ProfileForm, RemoveMethodButton,
    ResetPasswordForm, SendSetupLinkButton,
};
use super::helpdesk_forms::AdminIssuePassForm;
use crate::api::directory::{AdminSetMfaState, admin_person};
use crate::components::{
    AdminNav, AreaLayout, FormAlert, Loaded, PortalLayout, SelectField, TableCard,
    island_hydrating, reload_page,
};
use crate::domain::directory::{AuditEntryView, PersonView};
use crate::domain::history::HistoryRowView;
use crate::domain::{AppError, MfaState, Role};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AdminPersonPage() -> impl IntoView {
    view! {
        <Title text="Person · Admin" />
        <PortalLayout required=Role::Admin>
            <AreaLayout area="Admin" summary="Users, MFA states and account safety across the portal.">
                <AdminNav />
                <PersonPanel />
            </AreaLayout>
        </PortalLayout>
    }
}

#[component]
fn PersonPanel() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let person = Resource::new(id, |id| admin_person(id.unwrap_or(0)));
    view! {
        <p><a href=PEOPLE_PATH>"← Back to People"</a></p>
        <Loaded data=person then=|person| view! { <PersonSections person /> } />
    }
}

#[component]
fn PersonSections(person: PersonView) -> impl IntoView {
    let account = [
        &person.disabled_since,
        &person.blocked_since,
        &person.locked_until,
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect::<Vec<_>>();
    let account = if account.is_empty() {
        "Active".to_owned()
    } else {
        account.join(" · ")
    };
    let facts = AccountFacts {
        user_id: person.id,
        locked: person.locked_until.is_some(),
        disabled: person.disabled_since.is_some(),
        bypass_running: person.bypass_until.is_some(),
    };
    let password = if person.must_change_password {
        "Temporary: to be replaced at the next sign-in"
    } else {
        "Set by the person"
    };
    view! {
        <h1>{person.display_name.clone()}</h1>
        <div class="cards">
            <section class="card" aria-labelledby="profile-title">
                <h2 id="profile-title">"Profile"</h2>
                <dl class="facts">
                    <dt>"Username"</dt><dd>{person.username.clone()}</dd>
                    <dt>"E-mail"</dt><dd>{person.email.clone()}</dd>
                    <dt>"Role"</dt><dd>{person.role.label()}</dd>
                    <dt>"MFA state"</dt><dd>{person.mfa_state.label()}</dd>
                    <dt>"Account"</dt><dd data-testid="account-status">{account}</dd>
                    <dt>"Password"</dt><dd>{password}</dd>
                    {person.bypass_until.clone().map(|until| view! {
                        <dt>"Bypass"</dt><dd>{format!("One sign-in without the second step until {until} UTC")}</dd>
                    })}
                </dl>
                <ProfileForm
                    user_id=person.id
                    display_name=person.display_name.clone()
                    email=person.email.clone()
                    role=person.role
                />
            </section>
            <section class="card" aria-labelledby="person-methods-title">
                <h2 id="person-methods-title">"Methods"</h2>
                <MethodList user_id=person.id person=person.clone() />
                <OrgPhoneForm user_id=person.id />
            </section>
        </div>
        <section class="card" aria-labelledby="person-actions-title">
            <h2 id="person-actions-title">"Actions"</h2>
            <p class="muted small">"Actions that weaken sign-in need your own recent verification; locking and signing out never wait for it."</p>
            <MfaStateForm user_id=person.id current=person.mfa_state />
            <AccountActions facts />
            <ResetPasswordForm user_id=person.id />
            <SendSetupLinkButton user_id=person.id />
            <BypassForm user_id=person.id />
            <AdminIssuePassForm user_id=person.id />
        </section>
        <div class="cards">
            <section class="card" aria-labelledby="person-app-passwords-title">
                <h2 id="person-app-passwords-title">"App passwords"</h2>
                <Listed
                    empty="No app passwords."
                    items=person.app_passwords.iter().map(|a| (
                        a.name.clone(),
                        format!("Created {} · last used {}", a.created, a.last_used.clone().unwrap_or_else(|| "never".to_owned())),
                    )).collect()
                />
            </section>
            <section class="card" aria-labelledby="person-browsers-title">
                <h2 id="person-browsers-title">"Browsers"</h2>
                <h3>"Remembered (skip the second step)"</h3>
                <Listed
                    empty="None."
                    items=person.devices.iter().map(|d| (d.label.clone(), format!("Until {}", d.until))).collect()
                />
                <h3>"Signed in now"</h3>
                <Listed
                    empty="Not signed in anywhere."
                    items=person.sessions.iter().map(|s| (
                        s.device.clone(),
                        format!("{} · signed in {} · last seen {}", s.ip, s.started, s.last_seen),
                    )).collect()
                />
            </section>
        </div>
        <RecentSignIns rows=person.sign_ins />
        <AuditEntries rows=person.audit />
    }
}

/// An island: sets the person's MFA state, then the page shows it again. Needs the
/// admin's own recent verification; without it, says where to confirm.
#[island(lazy)]
fn MfaStateForm(user_id: i64, current: MfaState) -> impl IntoView {
    island_hydrating();
    let set = ServerAction::<AdminSetMfaState>::new();
    let error = Signal::derive(move || set.value().get().and_then(Result::err));
    let field_error = Signal::derive(move || error.get().and_then(|e| e.for_field("mfa_state")));
    let saved = reload_page();
    Effect::new(move |_| {
        if matches!(set.value().get(), Some(Ok(()))) {
            saved.run(());
        }
    });
    let must_confirm = move || matches!(error.get(), Some(AppError::ReauthenticationRequired));
    view! {
        <ActionForm action=set attr:class="form inline-form" attr:novalidate=true>
            <FormAlert error=Signal::derive(move || error.get().filter(|e| e.for_field("mfa_state").is_none())) />
            {move || must_confirm().then(|| view! {
                <p class="muted small">
                    <a href="/security">"Confirm it's you on your Security info"</a>", then save again."
                </p>
            })}
            <input type="hidden" name="user_id" value=user_id />
            <SelectField name="mfa_state" label="MFA state" error=field_error>
                {MfaState::ALL.into_iter().map(|state| view! {
                    <option value=state.as_str() selected=state == current>{state.label()}</option>
                }).collect_view()}
            </SelectField>
            <button type="submit" class="btn">"Save MFA state"</button>
        </ActionForm>
    }
}

/// The person's apps and phones, each with an admin's "Remove".
#[component]
fn MethodList(user_id: i64, person: PersonView) -> impl IntoView {
    let apps = person.methods.into_iter().map(|m| {
        (
            m.id,
            m.name.clone(),
            format!("{} · {}", m.name, m.kind_label),
            format!(
                "Added {} · last used {}",
                m.added,
                m.last_used.unwrap_or_else(|| "never".to_owned())
            ),
        )
    });
    let phones = person.phones.into_iter().map(|p| {
        (
            p.method_id,
            p.number.clone(),
            format!("{} · {}", p.number, p.type_label),
            if p.set_by_org {
                "Set by the organisation".to_owned()
            } else {
                "Added by the person".to_owned()
            },
        )
    });
    let items: Vec<_> = apps.chain(phones).collect();
    if items.is_empty() {
        return view! { <p class="muted">"No method registered."</p> }.into_any();
    }
    view! {
        <ul class="methods">
            {items.into_iter().map(|(method_id, name, title, detail)| view! {
                <li class="method">
                    <div class="method-head"><strong>{title}</strong></div>
                    <p class="muted small">{detail}</p>
                    <RemoveMethodButton user_id method_id name />
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A short list of (title, detail) lines, or `empty` when there are none.
#[component]
fn Listed(empty: &'static str, items: Vec<(String, String)>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    view! {
        <ul class="methods">
            {items.into_iter().map(|(title, detail)| view! {
                <li class="method">
                    <div class="method-head"><strong>{title}</strong></div>
                    <p class="muted small">{detail}</p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub(crate) fn RecentSignIns(rows: Vec<HistoryRowView>) -> impl IntoView {
    view! {
        <TableCard
            id="person-sign-ins-title"
            title="Recent sign-ins"
            caption="The newest sign-in attempts"
            headers=&["When", "Result", "Method", "App", "From"]
            empty=rows.is_empty().then_some("No sign-in yet.")
        >
            {rows.into_iter().map(|row| view! {
                <tr>
                    <td data-label="When"><time datetime=row.when_iso>{row.when}</time></td>
                    <td data-label="Result">{row.result}<span class="note">{row.result_detail}</span></td>
                    <td data-label="Method">{row.method}</td>
                    <td data-label="App">{row.app}</td>
                    <td data-label="From">{row.ip}<span class="note">{row.device}</span></td>
                </tr>
            }).collect_view()}
        </TableCard>
    }
}

#[component]
fn AuditEntries(rows: Vec<AuditEntryView>) -> impl IntoView {
    view! {
        <TableCard
            id="person-audit-title"
            title="Audit log"
            caption="The newest audit entries about this person"
            headers=&["When", "What", "By", "Detail"]
            empty=rows.is_empty().then_some("Nothing recorded about this person yet.")
        >
            {rows.into_iter().map(|row| view! {
                <tr data-testid="audit-row">
                    <td data-label="When">{row.when}</td>
                    <td data-label="What">{row.action}</td>
                    <td data-label="By">{row.actor}</td>
                    <td data-label="Detail">{row.detail}</td>
                </tr>
            }).collect_view()}
        </TableCard>
    }
}
