//! Adding an authenticator app with notifications: name it, scan the QR code with
//! the privacyIDEA (or eduMFA) Authenticator app, open it on this phone, or use the
//! portal's web authenticator; then approve the test notification it receives.

use super::{FormAlert, TextField};
use crate::api::push::{BeginPushDevice, push_device_activation};
use crate::domain::{AppError, PushActivation, PushEnrolmentView};
use leptos::prelude::*;

/// `on_done` runs once the device is active (the registration page is redirected
/// by the server instead).
#[component]
pub fn AddPushDevice(#[prop(optional)] on_done: Option<Callback<()>>) -> impl IntoView {
    let begin = ServerAction::<BeginPushDevice>::new();
    let enrolment = move || begin.value().get().and_then(Result::ok);
    let error = Signal::derive(move || begin.value().get().and_then(Result::err));
    view! {
        <div class="enrol">
            <Show
                when=move || enrolment().is_some()
                fallback=move || view! {
                    <ActionForm action=begin attr:class="form" attr:novalidate=true>
                        <FormAlert error=Signal::derive(move || error.get().filter(|e| e.for_field("name").is_none())) />
                        <TextField
                            name="name"
                            id="field-push-name".to_owned()
                            label="Name for this device"
                            hint="Helps you tell your devices apart, for example \"Work phone\"."
                            error=Signal::derive(move || error.get().and_then(|e| e.for_field("name")))
                        />
                        <button type="submit" class="btn btn-primary">"Continue"</button>
                    </ActionForm>
                }
            >
                {move || enrolment().map(|e| view! { <EnrolSteps enrolment=e on_done /> })}
            </Show>
        </div>
    }
}

/// The web authenticator's address with the enrolment in the fragment, which
/// browsers never send to a server.
pub fn web_authenticator_link(uri: &str) -> String {
    let encoded: String = uri
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("/authenticator#enrol={encoded}")
}

#[component]
fn EnrolSteps(enrolment: PushEnrolmentView, on_done: Option<Callback<()>>) -> impl IntoView {
    let method_id = enrolment.method_id;
    let now = RwSignal::new(PushActivation::WaitingForApp);
    let failure = RwSignal::new(None::<AppError>);
    let check = Action::new(move |_: &()| push_device_activation(method_id));
    Effect::new(move |_| match check.value().get() {
        Some(Ok(state)) => {
            if state == PushActivation::Active
                && let Some(done) = on_done
            {
                done.run(());
            }
            now.set(state);
        }
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                let open = matches!(
                    now.get_untracked(),
                    PushActivation::WaitingForApp | PushActivation::TestPromptSent { .. }
                );
                if open && failure.get_untracked().is_none() && !check.pending().get_untracked() {
                    check.dispatch(());
                }
            },
            std::time::Duration::from_secs(2),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    });
    let words = move || {
        match now.get() {
        PushActivation::WaitingForApp => view! { <p>"Waiting for the app to finish setting up…"</p> }.into_any(),
        PushActivation::TestPromptSent { code, previous_refused } => view! {
            {previous_refused.then(|| view! { <p>"The last test notification was not approved. We sent a new one."</p> })}
            <p>"Approve the test notification in the app. It asks you to match this number:"</p>
            <p class="match-number"><span data-testid="push-test-number">{code}</span></p>
        }.into_any(),
        PushActivation::Active => view! { <p class="alert alert-ok">"Your app is set up."</p> }.into_any(),
        PushActivation::Expired => view! {
            <p class="alert alert-error">"This set-up expired. Start again."</p>
        }.into_any(),
    }
    };
    view! {
        <ol class="steps">
            <li>
                <p>"Install the privacyIDEA Authenticator (or eduMFA Authenticator) app, add a token, and scan this QR code."</p>
                <div class="qr" role="img" aria-label="QR code to scan with your authenticator app" inner_html=enrolment.qr_svg.clone()></div>
                <p class="muted">"On this phone? "<a href=enrolment.uri.clone()>"Open in your authenticator app"</a></p>
                <p class="muted">"No app? "<a href=web_authenticator_link(&enrolment.uri) target="_blank" data-testid="web-authenticator-link">"Use the web authenticator on this device"</a></p>
                <p class="muted small">"This set-up expires at "{enrolment.expires.clone()}"."</p>
            </li>
            <li>
                <div role="status" aria-live="polite" data-testid="push-activation">{words}</div>
                <FormAlert error=Signal::derive(move || failure.get()) />
            </li>
        </ol>
    }
}
