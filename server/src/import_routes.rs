//! The plain-HTTP doors of the imports, administrators only:
//! `POST /admin/import/upload` takes the file from the import page's form
//! (multipart, so it works without script), checks it and sends the browser to the
//! job's page; `GET /admin/import/{id}/result.csv` streams the job's rows with
//! what the dry run found or what the run did; `POST /admin/tokens/upload` takes a
//! hardware-token seed file and sends the browser to the tokens page with its report.

use app::api::{browser_session, responses};
use app::domain::AppError;
use app::services::bulk_import::{self, MAX_FILE_BYTES};
use app::services::caller::Admin;
use app::services::hardware_tokens;
use app::state::AppState;
use app::store::import_jobs;
use axum::body::Body;
use axum::extract::multipart::MultipartError;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use futures_util::StreamExt;
use tower_sessions::Session;

pub const UPLOAD_PATH: &str = "/admin/import/upload";
pub const RESULT_PATH: &str = "/admin/import/{id}/result.csv";
pub const TOKEN_UPLOAD_PATH: &str = "/admin/tokens/upload";
/// The upload's own body limit: the largest file plus the form's framing.
pub const UPLOAD_BODY_LIMIT: usize = MAX_FILE_BYTES + 64 * 1024;

async fn admin(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
) -> Result<Admin, AppError> {
    let caller = browser_session::current(state, session)
        .await
        .map_err(|err| responses::internal(headers, &err))?
        .ok_or(AppError::NotSignedIn)?;
    caller.as_admin().map_err(AppError::from)
}

/// What the form sent: the file's name and bytes, or why it could not be read.
enum Upload {
    File { name: String, bytes: Vec<u8> },
    Problem(&'static str),
}

async fn read_upload(multipart: &mut Multipart) -> Upload {
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                return match field.bytes().await {
                    Ok(bytes) if bytes.is_empty() => Upload::Problem("The file is empty."),
                    Ok(bytes) if bytes.len() > MAX_FILE_BYTES => Upload::Problem(TOO_LARGE),
                    Ok(bytes) => Upload::File {
                        name,
                        bytes: bytes.to_vec(),
                    },
                    Err(err) => Upload::Problem(problem(&err)),
                };
            }
            Ok(Some(_)) => {}
            Ok(None) => return Upload::Problem("No file was chosen. Choose a CSV file."),
            Err(err) => return Upload::Problem(problem(&err)),
        }
    }
}

const TOO_LARGE: &str = "The file is larger than 10 MB. Split it and upload the parts.";

fn problem(err: &MultipartError) -> &'static str {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        TOO_LARGE
    } else {
        "The upload was cut off or malformed. Upload the file again."
    }
}

pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let admin = admin(&state, &session, &headers).await?;
    let job_id = match read_upload(&mut multipart).await {
        Upload::File { name, bytes } => {
            bulk_import::check_file(&state, &admin, &name, &bytes).await
        }
        Upload::Problem(problem) => bulk_import::reject_upload(&state, &admin, problem).await,
    }
    .map_err(|err| responses::internal(&headers, &err))?;
    Ok(Redirect::to(&format!("/admin/import/{job_id}")).into_response())
}

pub async fn upload_tokens(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let admin = admin(&state, &session, &headers).await?;
    let report = match read_upload(&mut multipart).await {
        Upload::File { name, bytes } => {
            hardware_tokens::import_file(&state, &admin, &name, &bytes).await
        }
        Upload::Problem(problem) => hardware_tokens::refuse_upload(&state, &admin, problem).await,
    }
    .map_err(|err| responses::internal(&headers, &err))?;
    Ok(Redirect::to(&format!("/admin/tokens?import={report}")).into_response())
}

pub async fn result(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(job_id): Path<i64>,
) -> Result<Response, AppError> {
    let admin = admin(&state, &session, &headers).await?;
    import_jobs::job(&state.db, job_id)
        .await
        .map_err(|err| responses::internal(&headers, &err))?
        .ok_or(AppError::ImportNotFound)?;
    let rows = bulk_import::result_csv(state.db.clone(), &admin, job_id)
        .fuse()
        .map(move |chunk| {
            chunk.inspect_err(|err| {
                tracing::error!(job_id, error = ?err, "import result file failed midway");
            })
        });
    let disposition = format!("attachment; filename=\"import-{job_id}-result.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(rows),
    )
        .into_response())
}
