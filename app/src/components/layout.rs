//! Page frames. `PortalLayout` admits only signed-in callers with the required
//! role: others are sent to sign in, or get a 403 page.

use super::{ErrorAlert, Header, set_status};
use crate::api::session::current_user;
use crate::domain::Role;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

#[component]
pub fn PortalLayout(required: Role, children: ChildrenFn) -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    let location = use_location();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(caller)) if caller.role.includes(required) => view! {
                        {caller.viewing.clone().map(|viewing| view! { <ViewingBanner viewing name=caller.display_name.clone() /> })}
                        <Header user=caller />
                        <main id="main" class="page">{children.read_value()()}</main>
                    }
                    .into_any(),
                    Ok(Some(caller)) => {
                        set_status(403);
                        view! {
                            <Header user=caller />
                            <main id="main" class="page">
                                <Forbidden />
                            </main>
                        }
                        .into_any()
                    }
                    Ok(None) => {
                        let next = location.pathname.get_untracked();
                        view! { <Redirect path=format!("/sign-in?next={next}") /> }.into_any()
                    }
                    Err(error) => {
                        set_status(error.status_code());
                        view! { <main id="main" class="page"><ErrorAlert error /></main> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// On every page while a helpdesk agent views someone's portal: whose, why, until
/// when, and the way out. A plain form post, so it works before any script runs.
#[component]
fn ViewingBanner(viewing: crate::domain::views::ViewingView, name: String) -> impl IntoView {
    view! {
        <div class="viewing-banner" role="status" data-testid="viewing-banner">
            <p>
                "Helpdesk view: you see " <strong>{name}</strong> "’s portal as they do, read-only. Reason: "
                {viewing.reason} ". Ends " {viewing.until} " UTC."
            </p>
            <form method="post" action="/api/helpdesk_stop_view">
                <button type="submit" class="btn">"Stop viewing"</button>
            </form>
        </div>
    }
}

#[component]
fn Forbidden() -> impl IntoView {
    view! {
        <leptos_meta::Title text="Access denied" />
        <section class="card narrow">
            <h1>"Access denied"</h1>
            <p>"Your account does not have access to this area. If you need it, ask an administrator."</p>
            <p><a class="btn" href="/account">"Back to my account"</a></p>
        </section>
    }
}

/// The frame of a staff area (admin, helpdesk): a band naming the area.
#[component]
pub fn AreaLayout(area: &'static str, summary: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="area">
            <div class="area-band">
                <p class="area-name">{area}</p>
                <p class="area-summary">{summary}</p>
            </div>
            {children()}
        </div>
    }
}
