//! `/device/push`: where authenticator apps speak the privacyIDEA PUSH protocol
//! (poll only). `GET` polls for open prompts; `POST` is enrolment step 2 (with
//! `pubkey`) or an answer (with `nonce`). Devices prove themselves by signatures
//! and the single-use enrolment credential, never by cookie. The JSON follows
//! privacyIDEA's shapes, which the apps parse. `/device/push/web-push` is the web
//! authenticator's own addition: Web Push where a VAPID key is configured.

use app::api::guard::client_address;
use app::api::responses;
use app::providers::web_push::SubscriptionError;
use app::services::limits;
use app::services::push::web_push::{SubscribeRefusal, SubscriptionRequest};
use app::services::push::{self, AppEnrolment, DeviceAnswer, DeviceRefusal, EnrolRefusal};
use app::state::AppState;
use axum::Json;
use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::collections::HashMap;
use std::net::SocketAddr;

pub const DEVICE_PATH: &str = "/device/push";
/// The web authenticator's Web Push: `GET` the portal's VAPID key, `POST` a signed
/// subscription (our extension of the protocol; the apps never call it).
pub const WEB_PUSH_PATH: &str = "/device/push/web-push";

type Fields = HashMap<String, String>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.get(name).map(String::as_str).unwrap_or_default()
}

/// privacyIDEA's error answer: HTTP 400 with `result.error`.
fn error(code: i64, message: &str) -> Response {
    let body = json!({
        "result": { "status": false, "error": { "code": code, "message": message } }
    });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

pub async fn poll(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(fields): Query<Fields>,
) -> Response {
    let outcome = push::poll(
        &state,
        field(&fields, "serial"),
        field(&fields, "timestamp"),
        field(&fields, "signature"),
    )
    .await;
    match outcome {
        Ok(Ok(challenges)) => {
            Json(json!({ "result": { "status": true, "value": challenges } })).into_response()
        }
        Ok(Err(refusal)) => device_error(&refusal),
        Err(err) => responses::internal(&headers, &err).into_response(),
    }
}

fn device_error(refusal: &DeviceRefusal) -> Response {
    match refusal {
        DeviceRefusal::UnknownDevice => error(601, "No enrolled token with this serial."),
        DeviceRefusal::StaleTimestamp => error(601, "The timestamp is not within a minute of now."),
        DeviceRefusal::BadSignature => error(601, "The signature is not valid."),
        DeviceRefusal::UnknownChallenge => error(601, "No such challenge for this token."),
    }
}

pub async fn post(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    if fields.contains_key("pubkey") {
        let ip = client_address(&headers, peer.ip(), state.policy.trust_forwarded_for);
        match limits::api_from(&state, ip).await {
            Ok(true) => {}
            Ok(false) => return error(429, "Too many requests. Try again in a minute."),
            Err(err) => return responses::internal(&headers, &err).into_response(),
        }
        return enrol(&state, &headers, &fields).await;
    }
    if fields.contains_key("nonce") {
        return answer(&state, &headers, &fields).await;
    }
    error(
        905,
        "Send either the enrolment (serial, enrollment_credential, pubkey) or an answer (serial, nonce, signature).",
    )
}

async fn enrol(state: &AppState, headers: &HeaderMap, fields: &Fields) -> Response {
    let sent = AppEnrolment {
        serial: field(fields, "serial"),
        enrollment_credential: field(fields, "enrollment_credential"),
        pubkey: field(fields, "pubkey"),
        offline_codes: field(fields, "offline_codes") == "1",
        number_entry: field(fields, "number_entry") == "1",
    };
    match push::app_enrols(state, sent).await {
        Ok(Ok(enrolled)) => {
            let mut detail = json!({
                "public_key": enrolled.server_key,
                "rollout_state": "enrolled",
            });
            if let Some(secret) = &enrolled.offline_secret {
                detail["offline_secret"] = json!(secret.as_str());
            }
            Json(json!({ "result": { "status": true, "value": true }, "detail": detail }))
                .into_response()
        }
        Ok(Err(EnrolRefusal::BadKey)) => error(
            905,
            "The public key must be an RSA key (SubjectPublicKeyInfo, base64).",
        ),
        Ok(Err(EnrolRefusal::CredentialRefused)) => error(
            905,
            "This enrolment is not open: scan a new QR code in MFA Portal.",
        ),
        Err(err) => responses::internal(headers, &err).into_response(),
    }
}

async fn answer(state: &AppState, headers: &HeaderMap, fields: &Fields) -> Response {
    let nonce = field(fields, "nonce").to_owned();
    let sent = DeviceAnswer {
        serial: field(fields, "serial").to_owned(),
        nonce: nonce.clone(),
        signature: field(fields, "signature").to_owned(),
        decline: fields.contains_key("decline"),
        decline_reason: fields.get("decline_reason").cloned(),
        presence_answer: fields.get("presence_answer").cloned(),
    };
    let accepted = match push::answer(state, sent).await {
        Ok(Ok(decided)) => decided,
        Ok(Err(_refused)) => false,
        Err(err) => return responses::internal(headers, &err).into_response(),
    };
    Json(json!({ "nonce": nonce, "result": { "status": true, "value": accepted } })).into_response()
}

/// The key a browser subscribes with; 404 where Web Push is not configured.
pub async fn web_push_key(State(state): State<AppState>) -> Response {
    match push::web_push::public_key(&state) {
        Some(key) => Json(json!({ "result": { "status": true, "value": { "public_key": key } } }))
            .into_response(),
        None => web_push_not_configured(),
    }
}

/// 404 with privacyIDEA's error shape: the portal has no VAPID key.
fn web_push_not_configured() -> Response {
    let body = json!({
        "result": { "status": false, "error": { "code": 404, "message": "Web Push is not configured." } }
    });
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

/// A signed subscription (or, with an empty `endpoint`, its removal).
pub async fn web_push_subscribe(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let request = SubscriptionRequest {
        serial: field(&fields, "serial"),
        timestamp: field(&fields, "timestamp"),
        signature: field(&fields, "signature"),
        endpoint: field(&fields, "endpoint"),
        p256dh: field(&fields, "p256dh"),
        auth: field(&fields, "auth"),
    };
    match push::web_push::subscribe(&state, request).await {
        Ok(Ok(())) => Json(json!({ "result": { "status": true, "value": true } })).into_response(),
        Ok(Err(SubscribeRefusal::NotConfigured)) => web_push_not_configured(),
        Ok(Err(SubscribeRefusal::Device(refusal))) => device_error(&refusal),
        Ok(Err(SubscribeRefusal::Subscription(SubscriptionError::ServiceNotAllowed))) => {
            error(905, "This push service is not one the portal sends to.")
        }
        Ok(Err(SubscribeRefusal::Subscription(SubscriptionError::BadKeys))) => error(
            905,
            "The subscription's keys are not a P-256 key and a 16-byte secret.",
        ),
        Err(err) => responses::internal(&headers, &err).into_response(),
    }
}
