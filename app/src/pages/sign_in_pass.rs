//! `/sign-in/pass`: signing in with a temporary access pass the helpdesk (or an
//! administrator) read out. Works without JavaScript too (a plain form post).

use crate::api::session::SignInWithPass;
use crate::components::{AuthFrame, FormAlert, TextField, island_hydrating};
use leptos::prelude::*;
use leptos_meta::Title;

pub const PASS_SIGN_IN_PATH: &str = "/sign-in/pass";

#[component]
pub fn PassSignInPage() -> impl IntoView {
    view! {
        <Title text="Sign in with a temporary access pass" />
        <AuthFrame title="Sign in with a temporary access pass">
            <p class="lede">"Lost your phone? Your helpdesk can give you a pass that signs you in once, so you can set up a new way to sign in."</p>
            <PassSignInForm />
            <p class="small"><a href="/sign-in">"Sign in with your password instead"</a></p>
        </AuthFrame>
    }
}

#[island(lazy)]
fn PassSignInForm() -> impl IntoView {
    island_hydrating();
    let action = ServerAction::<SignInWithPass>::new();
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
                name="pass"
                label="Temporary access pass"
                autocomplete="off"
                hint="Four groups of four letters and digits, like abcd-efgh-2345-jkmn. Dashes and capitals do not matter."
                error=field_error("pass")
            />
            <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>
                {move || if pending.get() { "Signing in…" } else { "Sign in with the pass" }}
            </button>
        </ActionForm>
    }
}
