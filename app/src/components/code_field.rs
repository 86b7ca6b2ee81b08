//! The one field for a one-time code: numeric keyboard on phones, filled by the
//! browser or password manager from an SMS, paste allowed (the server ignores spaces).

use super::TextField;
use leptos::prelude::*;

#[component]
pub fn CodeField(
    #[prop(default = "Code")] label: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <TextField
            name="code"
            label=label
            inputmode="numeric"
            autocomplete="one-time-code"
            maxlength="12"
            input_class="code-input"
            error=error
        />
    }
}
