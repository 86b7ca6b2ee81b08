//! `GET /security/sign-ins/export.csv`: the caller's sign-in history as CSV, with
//! the page's filters, streamed from the database a batch at a time.

use app::api::{browser_session, responses};
use app::domain::AppError;
use app::domain::history::HistoryQuery;
use app::services::sign_in_history;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tower_sessions::Session;

pub const EXPORT_PATH: &str = "/security/sign-ins/export.csv";

pub async fn export_history(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Query(query): Query<HistoryQuery>,
) -> Result<Response, AppError> {
    let caller = browser_session::current(&state, &session)
        .await
        .map_err(|err| responses::internal(&headers, &err))?
        .ok_or(AppError::NotSignedIn)?;
    let parsed = sign_in_history::parse_query(&query)?;
    let user_id = caller.subject.id.0;
    // Fused: the compression layer may poll once more after the end, and an
    // unfused `unfold` stream panics then (the download broke after the header).
    let rows = sign_in_history::export_csv(state.db.clone(), caller.subject.id, parsed.filter)
        .fuse()
        .map(move |chunk| {
            chunk.inspect_err(|err| {
                // The status line is long gone: the client sees a cut-off file.
                tracing::error!(user_id, error = ?err, "sign-in history export failed midway");
            })
        });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"sign-ins.csv\"",
            ),
        ],
        Body::from_stream(rows),
    )
        .into_response())
}
