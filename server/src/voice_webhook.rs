//! The gateway's call webhooks: `POST /webhooks/voice/{token}/gather` with the keys
//! pressed (`Digits`) and `…/status` with the call's final `CallStatus`. Each request
//! must carry a valid `X-Twilio-Signature` over the public URL and the form fields;
//! anything else is refused before it touches a challenge.

use app::api::responses;
use app::domain::AppError;
use app::providers::twilio::{say_twiml, signature_matches};
use app::services::phone_calls;
use app::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

pub const WEBHOOK_PATH: &str = "/webhooks/voice/{token}/{event}";

#[derive(Clone)]
pub struct WebhookKeys {
    pub auth_token: SecretString,
    /// `https://mfa.example.com`, without a trailing slash: what the gateway signed.
    pub public_base: String,
}

#[derive(Clone)]
pub struct WebhookState {
    pub app: AppState,
    pub keys: Arc<WebhookKeys>,
}

pub async fn voice_webhook(
    State(hook): State<WebhookState>,
    Path((token, event)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let signed_url = format!(
        "{}{}",
        hook.keys.public_base,
        uri.path_and_query().map_or(uri.path(), |pq| pq.as_str())
    );
    let given = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !signature_matches(
        hook.keys.auth_token.expose_secret(),
        &signed_url,
        &params,
        given,
    ) {
        // Nothing from an unsigned request reaches the log: it is anybody's text.
        tracing::warn!("voice webhook with a bad signature refused");
        return AppError::Forbidden.into_response();
    }
    let field = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let result = match event.as_str() {
        "gather" => phone_calls::answered(&hook.app, &token, field("Digits"))
            .await
            .map(|outcome| say_twiml(outcome.speech())),
        "status" => phone_calls::finished(&hook.app, &token, field("CallStatus"))
            .await
            .map(|()| "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>".to_owned()),
        _ => return AppError::NotFound.into_response(),
    };
    match result {
        Ok(twiml) => ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], twiml).into_response(),
        Err(err) => responses::internal(&headers, &err).into_response(),
    }
}
