//! The forms on a person's admin page. Each is an island: it posts one server
//! function and then shows the page again, except where it must keep an answer
//! on screen (a temporary password, a granted bypass).

use crate::api::admin_people::{
    AdminAccountAction, AdminEditProfile, AdminGrantBypass, AdminRemoveMethod, AdminResetPassword,
    AdminSendSetupLink, AdminSetOrgPhone,
};
use crate::components::{FormAlert, SelectField, TextField, island_hydrating, reload_page};
use crate::domain::{AppError, PhoneType, Role};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where an admin whose verification is not recent confirms it's them.
#[component]
fn ConfirmFirst(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        matches!(error.get(), Some(AppError::ReauthenticationRequired)).then(|| {
            view! {
                <p class="muted small">
                    <a href="/security">"Confirm it's you on your Security info"</a>
                    ", then come back and try again."
                </p>
            }
        })
    }
}

/// Reloads the page once `saved` says the change landed.
fn reload_when(saved: impl Fn() -> bool + 'static) {
    let reload = reload_page();
    Effect::new(move |_| {
        if saved() {
            reload.run(());
        }
    });
}

/// An error that belongs to no field of the form (shown at its top).
fn form_level(
    error: Signal<Option<AppError>>,
    fields: &'static [&'static str],
) -> Signal<Option<AppError>> {
    Signal::derive(move || {
        error
            .get()
            .filter(|e| fields.iter().all(|field| e.for_field(field).is_none()))
    })
}

/// Name, e-mail and role.
#[island(lazy)]
pub fn ProfileForm(user_id: i64, display_name: String, email: String, role: Role) -> impl IntoView {
    island_hydrating();
    let save = ServerAction::<AdminEditProfile>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let field = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    reload_when(move || matches!(save.value().get(), Some(Ok(()))));
    view! {
        <details class="other-ways">
            <summary>"Edit profile"</summary>
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <FormAlert error=form_level(error, &["display_name", "email", "role"]) />
                <ConfirmFirst error />
                <input type="hidden" name="user_id" value=user_id />
                <TextField name="display_name" label="Name" autocomplete="off" value=display_name error=field("display_name") />
                <TextField name="email" label="E-mail" kind="email" autocomplete="off" value=email error=field("email") />
                <SelectField name="role" label="Role" error=field("role")>
                    {Role::ALL.into_iter().map(|r| view! {
                        <option value=r.as_str() selected=r == role>{r.label()}</option>
                    }).collect_view()}
                </SelectField>
                <button type="submit" class="btn">"Save profile"</button>
            </ActionForm>
        </details>
    }
}

/// What the one-click actions need to know about the account now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountFacts {
    pub user_id: i64,
    pub locked: bool,
    pub disabled: bool,
    pub bypass_running: bool,
}

/// Lock or unlock, disable or enable, sign out everywhere, forget browsers,
/// require re-registration, cancel a bypass.
#[island(lazy)]
pub fn AccountActions(facts: AccountFacts) -> impl IntoView {
    island_hydrating();
    let act = ServerAction::<AdminAccountAction>::new();
    let error = Signal::derive(move || act.value().get().and_then(Result::err));
    reload_when(move || matches!(act.value().get(), Some(Ok(()))));
    let user_id = facts.user_id;
    let button = move |action: &'static str, label: &'static str, class: &'static str| {
        view! {
            <ActionForm action=act attr:class="inline-form">
                <input type="hidden" name="user_id" value=user_id />
                <input type="hidden" name="action" value=action />
                <button type="submit" class=class>{label}</button>
            </ActionForm>
        }
    };
    view! {
        <div class="admin-actions">
            <FormAlert error />
            <ConfirmFirst error />
            <div class="action-row">
                {if facts.locked {
                    button("unlock", "Unlock account", "btn")
                } else {
                    button("lock", "Lock account", "btn")
                }}
                {button("sign_out_everywhere", "Sign out everywhere", "btn")}
                {button("forget_browsers", "Forget remembered browsers", "btn")}
                {facts.bypass_running.then(|| button("cancel_bypass", "Cancel the bypass", "btn"))}
                {facts.disabled.then(|| button("enable", "Enable account", "btn"))}
            </div>
            {(!facts.disabled).then(|| view! {
                <details class="other-ways">
                    <summary>"Disable account…"</summary>
                    <p class="note">"Sign-in is refused and every session ends until an administrator enables the account again."</p>
                    {button("disable", "Disable account", "btn btn-danger")}
                </details>
            })}
            <details class="other-ways">
                <summary>"Require re-registration…"</summary>
                <p class="note">"Removes the person's apps and the phones they added (phones set by the organisation stay), their app passwords and remembered browsers, and signs them out. With MFA on they set up a method at their next sign-in."</p>
                {button("require_reregistration", "Remove methods and require re-registration", "btn btn-danger")}
            </details>
        </div>
    }
}

/// A temporary password, shown once.
#[island(lazy)]
pub fn ResetPasswordForm(user_id: i64) -> impl IntoView {
    island_hydrating();
    let reset = ServerAction::<AdminResetPassword>::new();
    let error = Signal::derive(move || reset.value().get().and_then(Result::err));
    let temporary = move || reset.value().get().and_then(Result::ok);
    view! {
        <div>
            <FormAlert error />
            <ConfirmFirst error />
            {move || match temporary() {
                Some(password) => view! {
                    <div class="alert alert-ok" role="status">
                        <p>"Temporary password (shown only now; read it to the person):"</p>
                        <p><code class="secret" data-testid="temporary-password">{password}</code></p>
                        <p class="small">"They choose their own at their next sign-in. Every session of theirs has ended."</p>
                    </div>
                }.into_any(),
                None => view! {
                    <ActionForm action=reset attr:class="inline-form">
                        <input type="hidden" name="user_id" value=user_id />
                        <button type="submit" class="btn">"Reset password"</button>
                    </ActionForm>
                }.into_any(),
            }}
        </div>
    }
}

/// E-mails the person a link to choose their own password (older links stop
/// working); the page says where it went.
#[island(lazy)]
pub fn SendSetupLinkButton(user_id: i64) -> impl IntoView {
    island_hydrating();
    let send = ServerAction::<AdminSendSetupLink>::new();
    let error = Signal::derive(move || send.value().get().and_then(Result::err));
    let sent = move || send.value().get().and_then(Result::ok);
    view! {
        <div>
            <FormAlert error />
            <ConfirmFirst error />
            {move || match sent() {
                Some(link) => view! {
                    <p class="alert alert-ok" role="status" data-testid="setup-link-sent">{format!(
                        "A set-up link went to {}; it works once, until {} UTC.",
                        link.email, link.until
                    )}</p>
                }.into_any(),
                None => view! {
                    <ActionForm action=send attr:class="inline-form">
                        <input type="hidden" name="user_id" value=user_id />
                        <button type="submit" class="btn">"E-mail a set-up link"</button>
                    </ActionForm>
                }.into_any(),
            }}
        </div>
    }
}

/// One sign-in without the second step, within a time and for a reason.
#[island(lazy)]
pub fn BypassForm(user_id: i64) -> impl IntoView {
    island_hydrating();
    let grant = ServerAction::<AdminGrantBypass>::new();
    let error = Signal::derive(move || grant.value().get().and_then(Result::err));
    let field = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    let granted = move || grant.value().get().and_then(Result::ok);
    view! {
        <details class="other-ways">
            <summary>"One-time bypass…"</summary>
            <div aria-live="polite">
                {move || granted().map(|g| view! {
                    <p class="alert alert-ok">{format!("The next sign-in until {} UTC skips the second step, once.", g.until)}</p>
                })}
            </div>
            <ActionForm action=grant attr:class="form" attr:novalidate=true>
                <FormAlert error=form_level(error, &["seconds", "reason"]) />
                <ConfirmFirst error />
                <input type="hidden" name="user_id" value=user_id />
                <TextField name="seconds" label="Valid for (seconds)" inputmode="numeric" value="300".to_owned() hint="60 to 86400. The bypass is used by the first sign-in within this time." error=field("seconds") />
                <TextField name="reason" label="Reason" autocomplete="off" hint="A ticket number or a few words; kept in the audit log." error=field("reason") />
                <button type="submit" class="btn">"Allow one sign-in without the second step"</button>
            </ActionForm>
        </details>
    }
}

/// Removes one method; sits inside the method's `<li>`.
#[island(lazy)]
pub fn RemoveMethodButton(user_id: i64, method_id: i64, name: String) -> impl IntoView {
    island_hydrating();
    let remove = ServerAction::<AdminRemoveMethod>::new();
    let error = Signal::derive(move || remove.value().get().and_then(Result::err));
    reload_when(move || matches!(remove.value().get(), Some(Ok(()))));
    view! {
        <div>
            <FormAlert error />
            <ConfirmFirst error />
            <ActionForm action=remove attr:class="inline-form">
                <input type="hidden" name="user_id" value=user_id />
                <input type="hidden" name="method_id" value=method_id />
                <button type="submit" class="btn btn-quiet btn-danger" aria-label=format!("Remove {name}")>"Remove"</button>
            </ActionForm>
        </div>
    }
}

/// The person's authentication phone, set by the organisation (seed 003).
#[island(lazy)]
pub fn OrgPhoneForm(user_id: i64) -> impl IntoView {
    island_hydrating();
    let set = ServerAction::<AdminSetOrgPhone>::new();
    let error = Signal::derive(move || set.value().get().and_then(Result::err));
    let field = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    reload_when(move || matches!(set.value().get(), Some(Ok(()))));
    view! {
        <details class="other-ways">
            <summary>"Set a phone as the organisation…"</summary>
            <p class="note">"Active at once and marked \u{201c}set by your organisation\u{201d}; it replaces the person's phone of the same kind. With MFA on, their first sign-in asks for a code on it."</p>
            <ActionForm action=set attr:class="form" attr:novalidate=true>
                <FormAlert error=form_level(error, &["number", "phone_type", "use_for"]) />
                <ConfirmFirst error />
                <input type="hidden" name="user_id" value=user_id />
                <TextField name="number" label="Phone number" kind="tel" autocomplete="off" hint="With the country code, e.g. +31 6 12345678." error=field("number") />
                <SelectField name="phone_type" label="Phone" error=field("phone_type")>
                    {PhoneType::ALL.into_iter().map(|t| view! { <option value=t.as_str()>{t.label()}</option> }).collect_view()}
                </SelectField>
                <SelectField name="use_for" label="Sign-in uses it for" error=field("use_for")>
                    <option value="sms">"A text with a code"</option>
                    <option value="phone_call">"A call"</option>
                </SelectField>
                <button type="submit" class="btn">"Set phone"</button>
            </ActionForm>
        </details>
    }
}
