//! The shell of a page's data: rendered on the server once the data is there, or
//! the error in its place.

use super::ErrorAlert;
use crate::domain::AppError;
use leptos::prelude::*;

/// Waits for `data` (a `Resource` of a server function) and shows `then` with it,
/// or the error's message.
#[component]
pub fn Loaded<T, F, V>(data: Resource<Result<T, AppError>>, then: F) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let then = then.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(value) => then(value).into_any(),
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
