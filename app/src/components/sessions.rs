//! "Where you're signed in" on Security info: each browser with its address and
//! when it was last seen, and "Sign out everywhere else".

use super::{FormAlert, island_hydrating};
use crate::api::session::SignOutEverywhere;
use crate::domain::views::SessionView;
use leptos::prelude::*;

/// An island. After "Sign out everywhere else" it keeps only this browser in the
/// list and says so, rather than reloading (which would lose the confirmation).
#[island(lazy)]
pub fn SessionsSection(sessions: Vec<SessionView>) -> impl IntoView {
    island_hydrating();
    let sign_out = ServerAction::<SignOutEverywhere>::new();
    let error = Signal::derive(move || sign_out.value().get().and_then(Result::err));
    let done = move || matches!(sign_out.value().get(), Some(Ok(())));
    let rows = RwSignal::new(sessions);
    Effect::new(move |_| {
        if done() {
            rows.update(|rows| rows.retain(|s| s.this_browser));
        }
    });
    let others = move || rows.with(|rows| rows.iter().any(|s| !s.this_browser));
    view! {
        <section class="card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">"Where you're signed in"</h2>
            <div aria-live="polite">
                {move || done().then(|| view! {
                    <p class="alert alert-ok">"Every other browser was signed out."</p>
                })}
            </div>
            <ul class="methods">
                {move || rows.get().into_iter().map(|s| view! {
                    <li class="method">
                        <div class="method-head">
                            <strong>{s.device.clone()}</strong>
                            {s.this_browser.then(|| view! { <span class="badge badge-ok">"This browser"</span> })}
                        </div>
                        <p class="muted small">
                            {s.ip.clone()}" · signed in "{s.started.clone()}" · last seen "{s.last_seen.clone()}
                        </p>
                    </li>
                }).collect_view()}
            </ul>
            <div class:hidden=move || !others()>
                <ActionForm action=sign_out attr:class="inline-form">
                    <FormAlert error />
                    <button type="submit" class="btn">"Sign out everywhere else"</button>
                </ActionForm>
            </div>
        </section>
    }
    .into_any()
}
