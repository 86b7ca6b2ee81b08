//! The helpdesk's forms on a person's page, each an island: verify the caller by
//! a code from their app or token, or by a code sent to their phone; unlock; issue a temporary access pass (kept on screen: shown once).
//! The admin's pass form on a person's admin page shares the pass's display.

use crate::api::admin_people::AdminIssuePass;
use crate::api::helpdesk::{
    HelpdeskCheckCallerCode, HelpdeskIssuePass, HelpdeskSendCallerCode, HelpdeskStartView,
    HelpdeskUnlock, HelpdeskVerifyCaller,
};
use crate::components::{FormAlert, SelectField, TextField, island_hydrating, reload_page};
use crate::domain::AppError;
use crate::domain::helpdesk::IssuedPassView;
use leptos::prelude::*;

/// Reloads the page once `saved` says the change landed.
fn reload_when(saved: impl Fn() -> bool + 'static) {
    let reload = reload_page();
    Effect::new(move |_| {
        if saved() {
            reload.run(());
        }
    });
}

/// The agent types the code the caller reads from one of their apps or tokens.
/// `methods`: (method id, "Name · kind") of each.
#[island(lazy)]
pub fn VerifyCallerForm(user_id: i64, methods: Vec<(i64, String)>) -> impl IntoView {
    island_hydrating();
    let check = ServerAction::<HelpdeskVerifyCaller>::new();
    let error = Signal::derive(move || check.value().get().and_then(Result::err));
    let field = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    let form_error = Signal::derive(move || {
        error
            .get()
            .filter(|e| e.for_field("code").is_none() && e.for_field("method_id").is_none())
    });
    reload_when(move || matches!(check.value().get(), Some(Ok(_))));
    view! {
        <ActionForm action=check attr:class="form" attr:novalidate=true>
            <FormAlert error=form_error />
            <input type="hidden" name="user_id" value=user_id />
            <SelectField name="method_id" label="Their app or token" error=field("method_id")>
                {methods.into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
            </SelectField>
            <TextField name="code" label="Code the caller reads out" inputmode="numeric" autocomplete="off" maxlength="8" hint="Ask them to open the app and read the current code." error=field("code") />
            <button type="submit" class="btn btn-primary">"Check the code"</button>
        </ActionForm>
    }
}

/// The agent sends a code by text or call to one of the caller's phones, then types
/// the code the caller reads back. `phones`: (method id, description, takes texts).
#[island(lazy)]
pub fn PhoneCallerCheckForm(user_id: i64, phones: Vec<(i64, String, bool)>) -> impl IntoView {
    island_hydrating();
    let send = ServerAction::<HelpdeskSendCallerCode>::new();
    let check = ServerAction::<HelpdeskCheckCallerCode>::new();
    let sent = Signal::derive(move || send.value().get().and_then(Result::ok));
    let send_error = Signal::derive(move || send.value().get().and_then(Result::err));
    let check_error = Signal::derive(move || check.value().get().and_then(Result::err));
    let send_field = move |name: &'static str| {
        Signal::derive(move || send_error.get().and_then(|e| e.for_field(name)))
    };
    let send_form_error = Signal::derive(move || {
        send_error.get().filter(|e| {
            e.for_field("phone_method_id").is_none() && e.for_field("channel").is_none()
        })
    });
    let code_error = Signal::derive(move || check_error.get().and_then(|e| e.for_field("code")));
    let check_form_error =
        Signal::derive(move || check_error.get().filter(|e| e.for_field("code").is_none()));
    let any_texts = phones.iter().any(|(_, _, takes_sms)| *takes_sms);
    reload_when(move || matches!(check.value().get(), Some(Ok(_))));
    view! {
        <ActionForm action=send attr:class="form" attr:novalidate=true>
            <FormAlert error=send_form_error />
            <input type="hidden" name="user_id" value=user_id />
            <SelectField name="phone_method_id" label="Their phone" error=send_field("phone_method_id")>
                {phones.into_iter().map(|(id, label, _)| view! { <option value=id>{label}</option> }).collect_view()}
            </SelectField>
            <SelectField name="channel" label="Send the code by" error=send_field("channel")>
                {any_texts.then(|| view! { <option value="sms">"Text message"</option> })}
                <option value="voice">"Call (the code is read out)"</option>
            </SelectField>
            <button type="submit" class="btn">{move || if sent.get().is_some() { "Send another code" } else { "Send a code" }}</button>
        </ActionForm>
        {move || sent.get().map(|challenge| view! {
            <p class="muted small" role="status">{format!(
                "Sent to {} (until {} UTC). Ask the caller to read you the code.",
                challenge.number, challenge.expires
            )}</p>
            <ActionForm action=check attr:class="form" attr:novalidate=true>
                <FormAlert error=check_form_error />
                <input type="hidden" name="user_id" value=user_id />
                <input type="hidden" name="challenge_id" value=challenge.challenge_id />
                <TextField name="code" id="field-phone-code" label="Code the caller reads back" inputmode="numeric" autocomplete="off" maxlength="8" error=code_error />
                <button type="submit" class="btn btn-primary">"Check the code"</button>
            </ActionForm>
        })}
    }
}

/// Starts viewing the person's portal, read-only, for a reason and some minutes.
#[island(lazy)]
pub fn ViewAsForm(user_id: i64, max_minutes: i64) -> impl IntoView {
    island_hydrating();
    let start = ServerAction::<HelpdeskStartView>::new();
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    let field = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    let form_error = Signal::derive(move || {
        error
            .get()
            .filter(|e| e.for_field("reason").is_none() && e.for_field("minutes").is_none())
    });
    let default_minutes = 15.min(max_minutes).to_string();
    view! {
        <ActionForm action=start attr:class="form" attr:novalidate=true>
            <FormAlert error=form_error />
            <input type="hidden" name="user_id" value=user_id />
            <TextField name="reason" label="Reason" autocomplete="off" hint="The ticket number or a few words; the person and the audit log see it." error=field("reason") />
            <TextField name="minutes" label="For how many minutes" inputmode="numeric" value=default_minutes hint="At most the policy's limit; the view ends by itself." error=field("minutes") />
            <button type="submit" class="btn">"View the portal as this person"</button>
        </ActionForm>
    }
}

/// Lifts the lock on the person's account.
#[island(lazy)]
pub fn HelpdeskUnlockButton(user_id: i64) -> impl IntoView {
    island_hydrating();
    let unlock = ServerAction::<HelpdeskUnlock>::new();
    let error = Signal::derive(move || unlock.value().get().and_then(Result::err));
    reload_when(move || matches!(unlock.value().get(), Some(Ok(_))));
    view! {
        <ActionForm action=unlock attr:class="inline-form">
            <FormAlert error />
            <input type="hidden" name="user_id" value=user_id />
            <button type="submit" class="btn">"Unlock the account"</button>
        </ActionForm>
    }
}

/// Issues a pass for the person; the pass stays on screen to be read out.
#[island(lazy)]
pub fn IssuePassForm(user_id: i64) -> impl IntoView {
    island_hydrating();
    let issue = ServerAction::<HelpdeskIssuePass>::new();
    let error = Signal::derive(move || issue.value().get().and_then(Result::err));
    let issued = Signal::derive(move || issue.value().get().and_then(Result::ok));
    view! {
        <PassOrButton issued error>
            <ActionForm action=issue attr:class="inline-form">
                <input type="hidden" name="user_id" value=user_id />
                <button type="submit" class="btn">"Issue a temporary access pass"</button>
            </ActionForm>
        </PassOrButton>
    }
}

/// The admin's pass for a person (needs the admin's own recent verification).
#[island(lazy)]
pub fn AdminIssuePassForm(user_id: i64) -> impl IntoView {
    island_hydrating();
    let issue = ServerAction::<AdminIssuePass>::new();
    let error = Signal::derive(move || issue.value().get().and_then(Result::err));
    let issued = Signal::derive(move || issue.value().get().and_then(Result::ok));
    view! {
        <PassOrButton issued error>
            <ActionForm action=issue attr:class="inline-form">
                <input type="hidden" name="user_id" value=user_id />
                <button type="submit" class="btn">"Issue a temporary access pass"</button>
            </ActionForm>
        </PassOrButton>
    }
}

/// The pass once issued (shown only now), else the form that issues it.
#[component]
fn PassOrButton(
    issued: Signal<Option<IssuedPassView>>,
    error: Signal<Option<AppError>>,
    children: ChildrenFn,
) -> impl IntoView {
    let must_confirm = move || matches!(error.get(), Some(AppError::ReauthenticationRequired));
    view! {
        <div>
            <FormAlert error />
            {move || must_confirm().then(|| view! {
                <p class="muted small">
                    <a href="/security">"Confirm it's you on your Security info"</a>", then come back and try again."
                </p>
            })}
            {move || match issued.get() {
                Some(pass) => view! {
                    <div class="alert alert-ok" role="status">
                        <p>"Temporary access pass (shown only now; read it to the person):"</p>
                        <p><code class="secret" data-testid="access-pass">{pass.pass}</code></p>
                        <p class="small">{format!(
                            "It works {} until {} UTC, on the sign-in page under \u{201c}Sign in with a temporary access pass\u{201d}. Any earlier pass no longer works. The person has been e-mailed.",
                            pass.uses, pass.valid_until
                        )}</p>
                    </div>
                }.into_any(),
                None => children().into_any(),
            }}
        </div>
    }
}
