//! Pages are rendered on the server and only their islands run in the browser. When
//! an island has saved a change, the page is shown again from the server, so every
//! server-rendered part (lists, states, "confirm it's you first") tells the truth.

use leptos::prelude::*;

/// For `on_done` props: reload the page once the change is saved.
pub fn reload_page() -> Callback<()> {
    Callback::new(|_| {
        let _ = window().location().reload();
    })
}

/// For `on_done` props: go to another page once the step is done.
pub fn go_to(path: &'static str) -> Callback<()> {
    Callback::new(move |_| {
        let _ = window().location().set_href(path);
    })
}
