//! `GET /security/sign-ins/export.csv`: the caller's sign-in history as CSV, with
//! the page's filters, streamed from the database a batch at a time.

use app::domain::history::HistoryQuery;
use app::services::{caller, sign_in_history};
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tower_sessions::Session;

pub const EXPORT_PATH: &str = "/security/sign-ins/export.csv";

pub async fn export_history(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<HistoryQuery>,
) -> Response {
    let caller = match caller::current(&state, &session).await {
        Ok(Some(caller)) => caller,
        Ok(None) => {
            return (StatusCode::UNAUTHORIZED, "Please sign in to continue.").into_response();
        }
        Err(err) => {
            tracing::error!(error = ?err, "reading the session for an export failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let parsed = match sign_in_history::parse_query(&query) {
        Ok(parsed) => parsed,
        Err(err) => return (StatusCode::BAD_REQUEST, err.to_string()).into_response(),
    };
    let user_id = caller.user_id.0;
    // Fused: the compression layer may poll once more after the end, and an
    // unfused `unfold` stream panics then (the download broke after the header).
    let rows = sign_in_history::export_csv(state.db.clone(), caller.user_id, parsed.filter)
        .fuse()
        .map(move |chunk| {
            chunk.inspect_err(|err| {
                // The status line is long gone: the client sees a cut-off file.
                tracing::error!(user_id, error = ?err, "sign-in history export failed midway");
            })
        });
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"sign-ins.csv\"",
            ),
        ],
        Body::from_stream(rows),
    )
        .into_response()
}
