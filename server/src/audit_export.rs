//! `GET /admin/audit/export.csv`: the audit log with the viewer's filters, as CSV,
//! streamed from the database a batch at a time. Administrators only.

use app::api::{browser_session, responses};
use app::domain::AppError;
use app::domain::audit_log::AuditQuery;
use app::services::audit_log;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tower_sessions::Session;

pub const EXPORT_PATH: &str = "/admin/audit/export.csv";

pub async fn export_audit_log(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let caller = browser_session::current(&state, &session)
        .await
        .map_err(|err| responses::internal(&headers, &err))?
        .ok_or(AppError::NotSignedIn)?;
    let admin = caller.as_admin().map_err(AppError::from)?;
    let search = audit_log::parse_query(&state, &query)
        .await
        .map_err(|err| responses::internal(&headers, &err))??;
    let admin_id = admin.actor.id.0;
    // Fused for the compression layer, as the history export (see there).
    let rows = audit_log::export_csv(state.db.clone(), &admin, search.filter)
        .fuse()
        .map(move |chunk| {
            chunk.inspect_err(|err| {
                tracing::error!(admin_id, error = ?err, "audit log export failed midway");
            })
        });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit-log.csv\"",
            ),
        ],
        Body::from_stream(rows),
    )
        .into_response())
}
