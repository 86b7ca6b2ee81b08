//! Registering an authenticator app: name it, scan the QR code (or type the secret,
//! or open the link on the phone itself), then enter the first code to activate.

use super::{CodeField, FormAlert, TextField};
use crate::api::mfa::{ActivateAuthenticator, BeginAuthenticator};
use crate::domain::AppError;
use leptos::prelude::*;

/// `on_done` runs after activation (the registration page is redirected by the
/// server instead).
#[component]
pub fn AddAuthenticator(#[prop(optional)] on_done: Option<Callback<()>>) -> impl IntoView {
    let begin = ServerAction::<BeginAuthenticator>::new();
    let activate = ServerAction::<ActivateAuthenticator>::new();
    let enrolment = move || begin.value().get().and_then(Result::ok);
    let begin_error = Signal::derive(move || begin.value().get().and_then(Result::err));
    let activate_error = Signal::derive(move || activate.value().get().and_then(Result::err));
    let field = |error: Signal<Option<AppError>>, name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(done)) = (activate.value().get(), on_done) {
            begin.clear();
            activate.clear();
            done.run(());
        }
    });
    view! {
        <div class="enrol">
            <Show
                when=move || enrolment().is_some()
                fallback=move || view! {
                    <ActionForm action=begin attr:class="form" attr:novalidate=true>
                        <FormAlert error=begin_error />
                        <TextField
                            name="name"
                            label="Name for this app"
                            hint="Helps you tell your apps apart, for example \"Work phone\"."
                            error=field(begin_error, "name")
                        />
                        <button type="submit" class="btn btn-primary">"Continue"</button>
                    </ActionForm>
                }
            >
                {move || enrolment().map(|e| view! {
                    <ol class="steps">
                        <li>
                            <p>"Open Microsoft Authenticator, Google Authenticator or another authenticator app, add an account, and scan this QR code."</p>
                            <div class="qr" role="img" aria-label="QR code to scan with your authenticator app" inner_html=e.qr_svg.clone()></div>
                            <p class="muted">"On this phone? "<a href=e.otpauth_uri.clone()>"Open in your authenticator app"</a></p>
                            <details class="manual">
                                <summary>"Can't scan? Enter the key by hand"</summary>
                                <p>"Account type: time-based. Key:"</p>
                                <p><code class="secret" data-testid="totp-secret">{e.secret_grouped.clone()}</code></p>
                            </details>
                        </li>
                        <li>
                            <p>"Enter the 6-digit code the app shows. This set-up expires at "{e.expires.clone()}"."</p>
                            <ActionForm action=activate attr:class="form" attr:novalidate=true>
                                <FormAlert error=activate_error />
                                <input type="hidden" name="method_id" value=e.method_id />
                                <CodeField error=field(activate_error, "code") />
                                <button type="submit" class="btn btn-primary">"Activate"</button>
                            </ActionForm>
                        </li>
                    </ol>
                })}
            </Show>
        </div>
    }
    .into_any()
}
