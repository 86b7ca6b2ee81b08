//! `/authenticator`: the portal's own web authenticator, for people without the
//! privacyIDEA Authenticator app. An installable page (manifest, service worker)
//! whose script (`public/authenticator.js`, plain JavaScript, not in the wasm
//! bundle) keeps a non-extractable WebCrypto key in IndexedDB and speaks the same
//! push protocol as the apps: enrolment from the link on Security info, signed
//! polls, signed answers, and offline codes from a seed delivered at enrolment.
//! Where the portal has a VAPID key, the page offers Web Push so requests arrive
//! as notifications while it is closed.

use crate::components::AuthFrame;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

#[component]
pub fn AuthenticatorPage() -> impl IntoView {
    view! {
        <Title text="Web authenticator" />
        <Link rel="manifest" href="/authenticator.webmanifest" />
        <Meta name="theme-color" content="#1f4e8c" />
        <AuthFrame title="Web authenticator" wide=true>
            <p class="lede">
                "Approve sign-ins to MFA Portal from this browser. Keep this page open (or install it) so requests reach you."
            </p>
            <noscript>
                <p class="alert alert-error">"The web authenticator needs JavaScript."</p>
            </noscript>
            <div id="authenticator-status" class="auth-status" role="status" aria-live="polite"></div>
            <section class="authenticator-section" aria-labelledby="requests-title">
                <h2 id="requests-title">"Sign-in requests"</h2>
                <div id="requests" data-testid="requests">
                    <p class="muted">"No request is waiting."</p>
                </div>
            </section>
            <section id="background" class="authenticator-section" aria-labelledby="background-title" hidden>
                <h2 id="background-title">"Requests while this page is closed"</h2>
                <p id="background-state" class="muted"></p>
                <button id="background-toggle" type="button" class="btn">
                    "Notify me while this page is closed"
                </button>
            </section>
            <section class="authenticator-section" aria-labelledby="accounts-title">
                <h2 id="accounts-title">"Accounts on this device"</h2>
                <ul id="accounts" class="plain-list" data-testid="accounts">
                    <li class="muted">"None yet. Add this device from Security info in MFA Portal: \u{201c}Add app with notifications\u{201d}, then \u{201c}Use the web authenticator on this device\u{201d}."</li>
                </ul>
            </section>
        </AuthFrame>
        <script type="module" src="/authenticator.js"></script>
    }
}
