//! `/sign-in/register`: "More information required". MFA is enforced and no method
//! exists yet, so one must be registered before the portal opens.

use crate::components::{AddAuthenticator, AuthFrame};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RegisterPage() -> impl IntoView {
    view! {
        <Title text="More information required" />
        <AuthFrame title="More information required" wide=true>
                <p class="lede">"Your organisation needs more information to keep your account secure. Set up an authenticator app on your phone; you will use it every time you sign in."</p>
                <AddAuthenticator />
                <p class="muted small"><a href="/sign-in">"Cancel and sign in again"</a></p>
        </AuthFrame>
    }
}
