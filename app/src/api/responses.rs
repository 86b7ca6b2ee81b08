//! `AppError` as an HTTP response, for the handlers that are not server functions
//! (`/api/v1`, the CSV export, the gateway webhooks): the same safe face the pages
//! show, as JSON `{"result": "refused" | "error", "message": …, "field"?: …}` with
//! the error's status. Causes go to the log under the request id, never out.

use crate::domain::AppError;
use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// The header the request-id layer sets on every request.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let result = if status.is_server_error() {
            "error"
        } else {
            "refused"
        };
        let mut body = serde_json::json!({ "result": result, "message": self.to_string() });
        if let AppError::Invalid { field, .. } = &self {
            body["field"] = serde_json::Value::from(field.as_str());
        }
        (status, Json(body)).into_response()
    }
}

/// Logs the cause chain under the request's id; the client gets only the id.
pub fn internal(headers: &HeaderMap, err: &anyhow::Error) -> AppError {
    let request_id = headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown")
        .to_owned();
    tracing::error!(%request_id, error = ?err, "request failed");
    AppError::Internal { request_id }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(response: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .expect("a small body");
        serde_json::from_slice(&bytes).expect("a JSON body")
    }

    #[tokio::test]
    async fn a_refusal_keeps_its_status_message_and_field() {
        let response =
            AppError::invalid("to", "The end date is before the start date.").into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body = body_of(response).await;
        assert_eq!(body["result"], "refused");
        assert_eq!(body["field"], "to");
        assert_eq!(body["message"], "The end date is before the start date.");
    }

    #[tokio::test]
    async fn an_internal_error_shows_only_the_request_id() {
        let mut headers = HeaderMap::new();
        headers.insert(REQUEST_ID_HEADER, "req-42".parse().expect("a header value"));
        let err = internal(&headers, &anyhow::anyhow!("database password is hunter2"));
        let response = err.into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = body_of(response).await;
        assert_eq!(body["result"], "error");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains("req-42"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
    }
}
