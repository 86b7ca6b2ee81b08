//! "Confirm it's you" before changing sign-in methods: a code from an app, else a
//! text or call to a phone, or the password while no method exists yet.

use super::{CodeField, FormAlert, PhoneChallengeStep, TextField};
use crate::api::phones::StartPhoneSignIn;
use crate::api::security::ConfirmIdentity;
use crate::domain::views::{MethodView, PhoneView};
use crate::domain::{ChallengePurpose, PhoneChannel};
use leptos::prelude::*;

/// The person's phones, provided by the Security info page for confirming by phone.
#[derive(Clone, Debug, Default)]
pub struct ConfirmPhones(pub Vec<PhoneView>);

#[component]
pub fn ConfirmIdentityForm(methods: Vec<MethodView>, on_done: Callback<()>) -> impl IntoView {
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
    let first_method = methods.first().map(|m| m.id);
    let phones = use_context::<ConfirmPhones>().unwrap_or_default().0;
    if first_method.is_none()
        && let Some(phone) = phones.first().cloned()
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
