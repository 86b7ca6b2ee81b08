//! `/set-up?token=…`: a person chooses their password from the link an
//! administrator had e-mailed; `/set-up/done` then sends them to sign in. Works
//! without JavaScript too (a plain form post).

use crate::api::setup::{SetUpPassword, setup_link};
use crate::components::{AuthFrame, FormAlert, Loaded, TextField, island_hydrating};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SetupPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let link = Resource::new(token, setup_link);
    view! {
        <Title text="Set up your account" />
        <AuthFrame title="Set up your account">
            <Loaded data=link then=move |link| view! {
                <p class="lede">{format!(
                    "Welcome, {}. Choose the password for your account {}; you sign in with it next.",
                    link.display_name, link.username
                )}</p>
                <SetupForm token=token() />
            } />
            <p class="muted small"><a href="/sign-in">"Go to sign-in"</a></p>
        </AuthFrame>
    }
}

/// On success the server sends the browser to `/set-up/done`.
#[island(lazy)]
fn SetupForm(token: String) -> impl IntoView {
    island_hydrating();
    let set = ServerAction::<SetUpPassword>::new();
    let error = Signal::derive(move || set.value().get().and_then(Result::err));
    let field_error = Signal::derive(move || error.get().and_then(|e| e.for_field("new_password")));
    let form_error = Signal::derive(move || {
        error
            .get()
            .filter(|e| e.for_field("new_password").is_none())
    });
    view! {
        <ActionForm action=set attr:class="form" attr:novalidate=true>
            <FormAlert error=form_error />
            <input type="hidden" name="token" value=token />
            <TextField
                name="new_password"
                label="Your password"
                kind="password"
                autocomplete="new-password"
                hint=crate::components::NEW_PASSWORD_HINT
                error=field_error
            />
            <button type="submit" class="btn btn-primary">"Save my password"</button>
        </ActionForm>
    }
}

#[component]
pub fn SetupDonePage() -> impl IntoView {
    view! {
        <Title text="Your password is set" />
        <AuthFrame title="Your password is set">
            <p class="lede" role="status">"Sign in with your username and the password you chose. If your organisation asks for a second step, the portal helps you set one up."</p>
            <p><a class="btn btn-primary" href="/sign-in">"Sign in"</a></p>
        </AuthFrame>
    }
}
