//! The frame of the pages before someone is signed in: a centred card under the
//! product name.

use leptos::prelude::*;

#[component]
pub fn AuthFrame(
    /// The page's one `<h1>`.
    title: &'static str,
    #[prop(optional)] wide: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <main id="main" class="auth-shell">
            <section class="card auth-card" class:wide=wide aria-labelledby="auth-title">
                <p class="brand brand-large">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    "MFA Portal"
                </p>
                <h1 id="auth-title">{title}</h1>
                {children()}
            </section>
        </main>
    }
}
