//! The tokens page's forms: assign a token to a person with one code from it, and
//! resynchronise a counter-based token with two consecutive codes. Both need the
//! admin's recent verification; the page is shown again once saved.

use crate::api::hardware_tokens::{AdminAssignToken, AdminResyncToken};
use crate::components::{FormAlert, TextField, island_hydrating, reload_page};
use crate::domain::AppError;
use leptos::prelude::*;

/// The error for the form as a whole: one that names none of `fields`.
fn form_error(
    error: Signal<Option<AppError>>,
    fields: &'static [&'static str],
) -> Signal<Option<AppError>> {
    Signal::derive(move || {
        error
            .get()
            .filter(|e| fields.iter().all(|f| e.for_field(f).is_none()))
    })
}

fn reverify_hint(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        matches!(error.get(), Some(AppError::ReauthenticationRequired)).then(|| view! {
            <p class="muted small"><a href="/security">"Confirm it's you on your Security info"</a>", then come back."</p>
        })
    }
}

#[island(lazy)]
pub fn AssignTokenForm() -> impl IntoView {
    island_hydrating();
    let assign = ServerAction::<AdminAssignToken>::new();
    let error = Signal::derive(move || assign.value().get().and_then(Result::err));
    let field = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    let reload = reload_page();
    Effect::new(move |_| {
        if matches!(assign.value().get(), Some(Ok(()))) {
            reload.run(());
        }
    });
    view! {
        <ActionForm action=assign attr:class="form" attr:novalidate=true>
            <FormAlert error=form_error(error, &["username", "serial", "code"]) />
            {reverify_hint(error)}
            <TextField name="username" label="Username of the person" autocomplete="off" error=field("username") />
            <TextField name="serial" label="Serial number" autocomplete="off" error=field("serial") />
            <TextField name="code" label="Code the token shows now" inputmode="numeric" autocomplete="off"
                hint="Press the token's button (or read its display) and type the code." error=field("code") />
            <button type="submit" class="btn btn-primary">"Assign token"</button>
        </ActionForm>
    }
}

#[island(lazy)]
pub fn ResyncTokenForm() -> impl IntoView {
    island_hydrating();
    let resync = ServerAction::<AdminResyncToken>::new();
    let error = Signal::derive(move || resync.value().get().and_then(Result::err));
    let field = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    let done = move || matches!(resync.value().get(), Some(Ok(())));
    view! {
        <ActionForm action=resync attr:class="form" attr:novalidate=true>
            {move || done().then(|| view! {
                <div class="alert alert-ok" role="status"><p>"The token is in step again; its next code signs in."</p></div>
            })}
            <FormAlert error=form_error(error, &["resync_serial", "first_code", "second_code"]) />
            {reverify_hint(error)}
            <TextField name="resync_serial" label="Serial number of the token" autocomplete="off" error=field("resync_serial") />
            <TextField name="first_code" label="First code" inputmode="numeric" autocomplete="off" error=field("first_code") />
            <TextField name="second_code" label="Next code (press the button again)" inputmode="numeric" autocomplete="off" error=field("second_code") />
            <button type="submit" class="btn">"Resynchronise"</button>
        </ActionForm>
    }
}
