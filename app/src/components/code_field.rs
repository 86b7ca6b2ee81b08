//! The one field for a one-time code: numeric keyboard on phones, filled by the
//! browser or password manager from an SMS, paste allowed, spaces ignored.

use leptos::prelude::*;

#[component]
pub fn CodeField(
    #[prop(default = "code")] name: &'static str,
    #[prop(default = "Code")] label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let input_id = format!("field-{name}");
    let error_id = format!("{input_id}-error");
    let hint_id = format!("{input_id}-hint");
    let described_by =
        super::field::described_by(hint.map(|_| hint_id.clone()), error_id.clone(), error);
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=input_id.clone()>{label}</label>
            {hint.map(|text| view! { <p class="field-hint" id=hint_id.clone()>{text}</p> })}
            <input
                id=input_id
                name=name
                type="text"
                class="code-input"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength="12"
                required=true
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
            />
            {move || error.get().map(|text| view! { <p class="field-error" id=error_id.clone()>{text}</p> })}
        </div>
    }
}
