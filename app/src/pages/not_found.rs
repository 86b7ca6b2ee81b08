//! Any path without a page.

use crate::components::set_status;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Page not found" />
        <main id="main" class="auth-shell">
            <section class="card narrow">
                <h1>"Page not found"</h1>
                <p>"There is no page at this address."</p>
                <p><a class="btn" href="/">"Go to the portal"</a></p>
            </section>
        </main>
    }
}
