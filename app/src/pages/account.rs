//! `/account`: "My account", the overview a user lands on.

use crate::api::account::account_overview;
use crate::components::{Loaded, PortalLayout};
use crate::domain::views::AccountView;
use crate::domain::{MfaState, Role};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <Title text="My account" />
        <PortalLayout required=Role::User>
            <AccountOverview />
        </PortalLayout>
    }
}

#[component]
fn AccountOverview() -> impl IntoView {
    let overview = Resource::new(|| (), |_| account_overview());
    view! {
        <h1>"My account"</h1>
        <Loaded data=overview then=|account| view! { <AccountCards account /> } />
    }
}

#[component]
fn AccountCards(account: AccountView) -> impl IntoView {
    let (state_class, state_note) = match account.mfa_state {
        MfaState::Disabled => ("badge badge-muted", "Sign-in asks only for your password."),
        MfaState::Enabled => (
            "badge badge-ok",
            "Your organisation turned on a second step at sign-in.",
        ),
        MfaState::Enforced => (
            "badge badge-strong",
            "Your organisation requires a second step at every sign-in.",
        ),
    };
    let methods = match account.method_count {
        0 => "None yet".to_owned(),
        1 => "1 method".to_owned(),
        n => format!("{n} methods"),
    };
    let previous = match account.previous_sign_in {
        Some(p) => {
            view! { <span>{p.at}</span><span class="muted">" from "{p.ip}</span> }.into_any()
        }
        None => view! { <span class="muted">"This is your first sign-in."</span> }.into_any(),
    };
    let lock_notice = account.locked_since_last_visit.map(|at| {
        let what = format!(
            "Your account was locked at {at} after too many wrong passwords or codes. If that was not you, someone may know your password: "
        );
        view! {
            <p class="alert alert-error" role="status">
                {what}<a href="/security">"change it now"</a>"."
            </p>
        }
    });
    view! {
        {lock_notice}
        <div class="cards">
            <section class="card" aria-labelledby="profile-title">
                <h2 id="profile-title">"Profile"</h2>
                <dl class="facts">
                    <dt>"Name"</dt><dd>{account.display_name}</dd>
                    <dt>"Username"</dt><dd>{account.username}</dd>
                    <dt>"E-mail"</dt><dd>{account.email}</dd>
                    <dt>"Role"</dt><dd>{account.role.label()}</dd>
                </dl>
            </section>
            <section class="card" aria-labelledby="security-title">
                <h2 id="security-title">"Security"</h2>
                <dl class="facts">
                    <dt>"Multi-factor authentication"</dt>
                    <dd><span class=state_class>{account.mfa_state.label()}</span><span class="note">{state_note}</span></dd>
                    <dt>"Registered methods"</dt><dd>{methods}" · "<a href="/security">"Manage"</a></dd>
                    <dt>"Last sign-in before this one"</dt><dd>{previous}</dd>
                </dl>
            </section>
        </div>
    }
}
