//! "Confirm it's you" before changing sign-in methods: a code from an app, or the
//! password while no method exists yet.

use super::{CodeField, FormAlert, TextField};
use crate::api::security::ConfirmIdentity;
use crate::domain::views::MethodView;
use leptos::prelude::*;

#[component]
pub fn ConfirmIdentityForm(methods: Vec<MethodView>, on_done: Callback<()>) -> impl IntoView {
    let confirm = ServerAction::<ConfirmIdentity>::new();
    let error = Signal::derive(move || confirm.value().get().and_then(Result::err));
    let field = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    Effect::new(move |_| {
        if let Some(Ok(())) = confirm.value().get() {
            confirm.clear();
            on_done.run(());
        }
    });
    let first_method = methods.first().map(|m| m.id);
    view! {
        <ActionForm action=confirm attr:class="form confirm" attr:novalidate=true>
            <FormAlert error />
            {match first_method {
                Some(method_id) => view! {
                    <input type="hidden" name="method_id" value=method_id />
                    <CodeField label="Code from your authenticator app" error=field("code") />
                }
                .into_any(),
                None => view! {
                    <TextField name="password" label="Your password" kind="password" autocomplete="current-password" error=field("password") />
                }
                .into_any(),
            }}
            <button type="submit" class="btn btn-primary">"Confirm"</button>
        </ActionForm>
    }
    .into_any()
}
