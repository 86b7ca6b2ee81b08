//! The HTTP API for apps that cannot do MFA: `POST /api/v1/app-password/verify`
//! with HTTP Basic (username and app password), answering accepted or refused as
//! JSON. No cookies, so no CSRF exposure; rate limited per account and per address.

use app::api::guard::client_address;
use app::api::responses;
use app::services::app_passwords::{self, VerifyOutcome};
use app::state::AppState;
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use data_encoding::BASE64;
use secrecy::SecretString;
use serde_json::json;
use std::net::SocketAddr;

pub const VERIFY_PATH: &str = "/api/v1/app-password/verify";

pub async fn verify_app_password(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let Some((username, password)) = basic_credentials(&headers) else {
        return refused(StatusCode::UNAUTHORIZED);
    };
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let ip = client_address(&headers, peer.ip(), state.policy.trust_forwarded_for);
    match app_passwords::verify(&state, &username, &password, ip, user_agent).await {
        Ok(VerifyOutcome::Accepted) => {
            (StatusCode::OK, Json(json!({ "result": "accepted" }))).into_response()
        }
        Ok(VerifyOutcome::Refused) => refused(StatusCode::UNAUTHORIZED),
        Ok(VerifyOutcome::TooMany) => (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({ "result": "refused", "reason": "too many attempts" })),
        )
            .into_response(),
        Err(err) => responses::internal(&headers, &err).into_response(),
    }
}

fn refused(status: StatusCode) -> Response {
    let mut response = (status, Json(json!({ "result": "refused" }))).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Basic realm=\"MFA Portal apps\""),
    );
    response
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, SecretString)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = zeroize::Zeroizing::new(BASE64.decode(encoded.trim().as_bytes()).ok()?);
    let text = std::str::from_utf8(&decoded).ok()?;
    let (username, password) = text.split_once(':')?;
    Some((username.to_owned(), SecretString::from(password.to_owned())))
}
