//! A labelled input with its error message right under it.

use leptos::prelude::*;

/// The hint under every field where a person chooses a password (the rules of
/// `services::password_policy`).
pub const NEW_PASSWORD_HINT: &str =
    "At least 8 characters. Long phrases are good; common passwords and your name are refused.";

#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    /// Keyboard hint for phones, e.g. "numeric".
    #[prop(optional)]
    inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<&'static str>,
    #[prop(optional)] input_class: Option<&'static str>,
    /// The value to show initially (filters echo what was asked for).
    #[prop(optional, into)]
    value: Option<String>,
    #[prop(default = true)] required: bool,
    #[prop(into)] error: Signal<Option<String>>,
    /// The input's id when `field-{name}` is not unique on the page (a form
    /// repeated per item, or two forms posting a field of the same name).
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let input_id = id.unwrap_or_else(|| format!("field-{name}"));
    let error_id = format!("{input_id}-error");
    let hint_id = format!("{input_id}-hint");
    let described_by = described_by(hint.map(|_| hint_id.clone()), error_id.clone(), error);
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=input_id.clone()>{label}</label>
            {hint.map(|text| view! { <p class="field-hint" id=hint_id.clone()>{text}</p> })}
            <input
                id=input_id
                name=name
                type=kind
                class=input_class
                inputmode=inputmode
                maxlength=maxlength
                autocomplete=autocomplete
                value=value
                required=required
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
            />
            {move || {
                error.get().map(|text| view! { <p class="field-error" id=error_id.clone()>{text}</p> })
            }}
        </div>
    }
}

/// The `aria-describedby` value: the hint's id (if any) and the error's id while an
/// error shows, so screen readers read both with the field.
fn described_by(
    hint_id: Option<String>,
    error_id: String,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let ids: Vec<&str> = [hint_id.as_deref(), error.get().map(|_| error_id.as_str())]
            .into_iter()
            .flatten()
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}
