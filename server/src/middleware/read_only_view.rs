//! While a helpdesk agent views someone's portal, nothing changes: every request
//! that could change state (any method but GET and HEAD), on any route (server
//! functions, `/api/v1`, uploads, webhooks), is refused here, in one place, unless
//! it is one of the few the view itself needs. Services refuse as well
//! (`Caller::require_writable`); this guard is what catches a new endpoint that
//! forgets. A view whose time ran out no longer counts.

use app::api::browser_session;
use app::domain::AppError;
use app::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode};
use tower_sessions::Session;

/// What a viewing session may still post: who is signed in (every page asks), the
/// way back to the agent's own account, and signing out (which ends the view too).
pub const ALLOWED_WHILE_VIEWING: [&str; 3] = [
    "/api/current_user",
    "/api/helpdesk_stop_view",
    "/api/sign_out",
];

pub async fn refuse_changes_while_viewing(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD)
        || ALLOWED_WHILE_VIEWING.contains(&req.uri().path())
    {
        return next.run(req).await;
    }
    let Some(session) = req.extensions().get::<Session>().cloned() else {
        return next.run(req).await;
    };
    match browser_session::viewing_grant(&session).await {
        Ok(Some(grant)) if grant.until > state.clock.now() => {
            tracing::warn!(method = %req.method(), path = req.uri().path(), "change refused while viewing");
            refused()
        }
        Ok(_) => next.run(req).await,
        Err(error) => {
            // Fail closed: a session that cannot be read changes nothing.
            tracing::error!(?error, "reading the session for the read-only guard");
            refused()
        }
    }
}

/// The same body a server function gives for `AppError::ReadOnlyView`.
fn refused() -> Response {
    let body = serde_json::to_string(&AppError::ReadOnlyView).unwrap_or_default();
    (
        StatusCode::FORBIDDEN,
        [(http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}
