//! `/sign-in`: username and password. Works without JavaScript too (a plain form
//! post to the server function).

use crate::api::session::{SignIn, current_user};
use crate::components::{AuthFrame, FormAlert, TextField, island_hydrating};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let already = Resource::new(|| (), |_| current_user());
    let next = use_query_map()
        .read_untracked()
        .get("next")
        .unwrap_or_default();
    view! {
        <Title text="Sign in" />
        <Suspense>
            {move || Suspend::new(async move {
                matches!(already.await, Ok(Some(_))).then(|| view! { <Redirect path="/account" /> })
            })}
        </Suspense>
        <AuthFrame title="Sign in">
            <p class="lede">"Manage how you prove it's you: authenticator apps, phones and app passwords."</p>
            <SignInForm next />
            <p class="small"><a href=super::sign_in_pass::PASS_SIGN_IN_PATH>"Sign in with a temporary access pass from your helpdesk"</a></p>
        </AuthFrame>
    }
}

/// `next`: where to go after signing in (the page that sent the person here).
#[island]
fn SignInForm(next: String) -> impl IntoView {
    island_hydrating();
    let action = ServerAction::<SignIn>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field_error = move |field: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(field)))
    };
    let pending = action.pending();
    view! {
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <FormAlert error />
            <TextField name="username" label="Username" autocomplete="username" error=field_error("username") />
            <TextField
                name="password"
                label="Password"
                kind="password"
                autocomplete="current-password"
                error=field_error("password")
            />
            <input type="hidden" name="next" value=next />
            <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>
                {move || if pending.get() { "Signing in…" } else { "Sign in" }}
            </button>
        </ActionForm>
    }
}
