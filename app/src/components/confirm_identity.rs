//! "Confirm it's you" before changing sign-in methods: a code from an app, else a
//! notification to an app, else a text or call to a phone, or the password while no
//! method exists yet.

use super::{CodeField, FormAlert, PhoneChallengeStep, PushPromptStep, TextField, reload_page};
use crate::api::phones::StartPhoneSignIn;
use crate::api::security::ConfirmIdentity;
use crate::domain::views::{MethodView, PhoneView};
use crate::domain::{ChallengePurpose, PhoneChannel, PushPurpose};
use leptos::prelude::*;

/// What the person can confirm with: their apps first, else their phones, else the
/// password. Handed to each island of Security info that may ask.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConfirmWays {
    pub methods: Vec<MethodView>,
    pub phones: Vec<PhoneView>,
    /// An app that takes notifications (used when no app shows codes).
    pub push: bool,
}

#[component]
pub fn ConfirmIdentityForm(ways: ConfirmWays, on_done: Callback<()>) -> impl IntoView {
    let confirm = ServerAction::<ConfirmIdentity>::new();
    let error = Signal::derive(move || confirm.value().get().and_then(Result::err));
    let field = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    Effect::new(move |_| {
        if let Some(Ok(())) = confirm.value().get() {
            confirm.clear();
            on_done.run(());
        }
    });
    let first_method = ways.methods.first().map(|m| m.id);
    if first_method.is_none() && ways.push {
        return view! {
            <PushPromptStep purpose=PushPurpose::Confirm on_done />
        }
        .into_any();
    }
    if first_method.is_none()
        && let Some(phone) = ways.phones.first().cloned()
    {
        return view! { <ConfirmByPhone phone on_done /> }.into_any();
    }
    view! {
        <ActionForm action=confirm attr:class="form confirm" attr:novalidate=true>
            <FormAlert error />
            {match first_method {
                Some(method_id) => view! {
                    <input type="hidden" name="method_id" value=method_id />
                    <CodeField label="Code from your authenticator app" error=field("code") />
                }
                .into_any(),
                None => view! {
                    <TextField name="password" label="Your password" kind="password" autocomplete="current-password" error=field("password") />
                }
                .into_any(),
            }}
            <button type="submit" class="btn btn-primary">"Confirm"</button>
        </ActionForm>
    }
    .into_any()
}

/// A button (`label`) that opens `children`, a way to add a method: first "confirm
/// it's you" when that is due (the page then reloads, recently verified).
#[component]
pub fn AddAfterConfirming(
    label: &'static str,
    ways: ConfirmWays,
    verified: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let adding = RwSignal::new(false);
    view! {
        {move || match (adding.get(), verified) {
            (false, _) => view! {
                <button type="button" class="btn" on:click=move |_| adding.set(true)>{label}</button>
            }.into_any(),
            (true, false) => view! {
                <p>"For your security, confirm it's you first."</p>
                <ConfirmIdentityForm ways=ways.clone() on_done=reload_page() />
            }.into_any(),
            (true, true) => children().into_any(),
        }}
    }
}

/// Sends a code (or calls) to the person's first phone, then takes the code.
#[component]
fn ConfirmByPhone(phone: PhoneView, on_done: Callback<()>) -> impl IntoView {
    let start = ServerAction::<StartPhoneSignIn>::new();
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    let challenge = move || start.value().get().and_then(Result::ok);
    let ways: Vec<(PhoneChannel, String)> = if phone.takes_sms {
        vec![
            (
                PhoneChannel::Sms,
                format!("Text a code to {}", phone.number),
            ),
            (PhoneChannel::Voice, format!("Call {}", phone.number)),
        ]
    } else {
        vec![(PhoneChannel::Voice, format!("Call {}", phone.number))]
    };
    let method_id = phone.method_id;
    view! {
        {move || match challenge() {
            Some(c) => view! { <PhoneChallengeStep challenge=c purpose=ChallengePurpose::Confirm on_done /> }.into_any(),
            None => view! {
                <FormAlert error />
                <div class="confirm-ways">
                    {ways.iter().cloned().map(|(channel, label)| view! {
                        <ActionForm action=start attr:class="inline-form">
                            <input type="hidden" name="method_id" value=method_id />
                            <input type="hidden" name="channel" value=channel.as_str() />
                            <input type="hidden" name="purpose" value=ChallengePurpose::Confirm.as_str() />
                            <button type="submit" class="btn btn-primary">{label}</button>
                        </ActionForm>
                    }).collect_view()}
                </div>
            }.into_any(),
        }}
    }
}
