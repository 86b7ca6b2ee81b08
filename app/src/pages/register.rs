//! `/sign-in/register`: "More information required". MFA is enforced and no method
//! exists yet, so one must be registered before the portal opens.

use crate::api::phones::phone_setup;
use crate::components::{
    AddAuthenticator, AddPhoneForm, AddPushDevice, AuthFrame, go_to, island_hydrating,
};
use crate::domain::views::PhoneSetupView;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RegisterPage() -> impl IntoView {
    view! {
        <Title text="More information required" />
        <AuthFrame title="More information required" wide=true>
                <p class="lede">"Your organisation needs more information to keep your account secure. Set up an authenticator app on your phone; you will use it every time you sign in."</p>
                <RegisterAuthenticator />
                <details class="other-ways">
                    <summary>"Use an app that approves notifications"</summary>
                    <RegisterPushDevice />
                </details>
                <PhoneInstead />
                <p class="muted small"><a href="/sign-in">"Cancel and sign in again"</a></p>
        </AuthFrame>
    }
}

/// The app's set-up; once activated, the server sends the person on.
#[island(lazy)]
fn RegisterAuthenticator() -> impl IntoView {
    island_hydrating();
    view! { <AddAuthenticator /> }
}

/// An app with notifications (or the web authenticator); once its test
/// notification is approved, the sign-in is complete.
#[island(lazy)]
fn RegisterPushDevice() -> impl IntoView {
    island_hydrating();
    view! { <AddPushDevice on_done=go_to("/account") /> }
}

/// "Use my phone instead", where texts or calls are allowed: the phone, once
/// verified, completes the sign-in.
#[component]
fn PhoneInstead() -> impl IntoView {
    let setup = Resource::new(|| (), |_| phone_setup());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                setup.await.ok().flatten().map(|setup| view! {
                    <details class="other-ways">
                        <summary>"Use my phone instead"</summary>
                        <p class="note">"Texts and calls are weaker than an authenticator app: a phone number can be taken over."</p>
                        <RegisterPhone setup />
                    </details>
                })
            })}
        </Suspense>
    }
}

#[island(lazy)]
fn RegisterPhone(setup: PhoneSetupView) -> impl IntoView {
    island_hydrating();
    view! { <AddPhoneForm setup on_done=go_to("/account") /> }
}
