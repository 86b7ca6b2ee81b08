//! `/`: send people where they belong.

use crate::api::session::current_user;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn HomePage() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let target = match user.await {
                    Ok(Some(_)) => "/account",
                    _ => "/sign-in",
                };
                view! { <Redirect path=target /> }
            })}
        </Suspense>
    }
}
