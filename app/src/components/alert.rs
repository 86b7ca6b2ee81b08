//! Messages about a whole form or page, announced to screen readers.

use crate::domain::AppError;
use leptos::prelude::*;

/// Shows `error` unless it belongs next to a single field.
#[component]
pub fn FormAlert(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let message = move || {
        error
            .get()
            .filter(|e| !matches!(e, AppError::Invalid { field, .. } if field != "form"))
            .map(|e| e.to_string())
    };
    view! {
        <div class="alert-slot" aria-live="assertive">
            {move || message().map(|text| view! { <p class="alert alert-error" role="alert">{text}</p> })}
        </div>
    }
}

#[component]
pub fn ErrorAlert(error: AppError) -> impl IntoView {
    view! { <p class="alert alert-error" role="alert">{error.to_string()}</p> }
}
