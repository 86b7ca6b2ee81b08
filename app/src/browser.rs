//! What the browser sets up once, before the islands hydrate: the pieces a full
//! client-side app would get from the router, which islands do not have.

use leptos::prelude::*;
use leptos::server::ServerActionError;
use std::cell::Cell;
use std::time::Duration;

thread_local! {
    /// Islands on the page that have not started hydrating yet.
    static ISLANDS_LEFT: Cell<u32> = const { Cell::new(0) };
}

pub fn start() {
    follow_server_redirects();
    keep_plain_post_error();
    let islands = document()
        .query_selector_all("leptos-island")
        .map(|list| list.length())
        .unwrap_or(0);
    ISLANDS_LEFT.set(islands);
    if islands == 0 {
        mark_hydrated();
    }
}

/// Called by each island as it starts (`components::island_hydrating`).
pub fn island_hydrating() {
    let left = ISLANDS_LEFT.get().saturating_sub(1);
    ISLANDS_LEFT.set(left);
    if left == 0 {
        mark_hydrated();
    }
}

/// A server function that answers with a redirect (a finished sign-in, signing
/// out) sends the whole page there: pages are rendered on the server.
fn follow_server_redirects() {
    // Err means a hook is already set (hydrate ran twice); the first one stays.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location: &str| {
        let _ = window().location().set_href(location);
    });
}

/// A form posted before the page was interactive comes back with its error in the
/// address (`__err`, `__path`). The server rendered that error into the form; the
/// island's action must start with it too, or hydration would not match.
fn keep_plain_post_error() {
    let Ok(search) = window().location().search() else {
        return;
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    if let (Some(error), Some(path)) = (params.get("__err"), params.get("__path")) {
        // Provided on the root owner `hydrate_islands` set, which every island's
        // owner descends from.
        provide_context(ServerActionError::new(&path, &error));
    }
}

/// Sets `data-hydrated` on `<body>`, so browser tests know handlers are attached.
/// The last island calls this as it starts; its view is hydrated in the same task,
/// and the timer runs after that task.
fn mark_hydrated() {
    set_timeout(
        || {
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        },
        Duration::ZERO,
    );
}
