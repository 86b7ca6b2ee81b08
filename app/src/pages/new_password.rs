//! `/sign-in/new-password`: after a temporary password an administrator set, the
//! person chooses their own before the sign-in goes on.

use crate::api::session::SetNewPassword;
use crate::components::{AuthFrame, FormAlert, TextField, island_hydrating};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewPasswordPage() -> impl IntoView {
    view! {
        <Title text="Choose a new password" />
        <AuthFrame title="Choose a new password">
            <p class="lede">"An administrator gave you a temporary password. Choose your own now; the temporary one stops working."</p>
            <NewPasswordForm />
            <p class="muted small"><a href="/sign-in">"Cancel and sign in again"</a></p>
        </AuthFrame>
    }
}

/// On success the server sends the browser to the next step (or the portal).
#[island(lazy)]
fn NewPasswordForm() -> impl IntoView {
    island_hydrating();
    let set = ServerAction::<SetNewPassword>::new();
    let error = Signal::derive(move || set.value().get().and_then(Result::err));
    let field_error = Signal::derive(move || error.get().and_then(|e| e.for_field("new_password")));
    view! {
        <ActionForm action=set attr:class="form" attr:novalidate=true>
            <FormAlert error=Signal::derive(move || error.get().filter(|e| e.for_field("new_password").is_none())) />
            <TextField
                name="new_password"
                label="New password"
                kind="password"
                autocomplete="new-password"
                hint=crate::components::NEW_PASSWORD_HINT
                error=field_error
            />
            <button type="submit" class="btn btn-primary">"Save and continue"</button>
        </ActionForm>
    }
}
