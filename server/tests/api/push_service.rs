//! A stand-in Web Push service, written from RFC 8030 and RFC 8292: a push message
//! is a `POST` to the subscription's URL with `TTL`; it is answered `201 Created`
//! with a `Location`; a subscription that expired is answered `410 Gone`. The
//! service checks the VAPID `Authorization` as push services do (a JWT signed with
//! ES256 by the key in `k`, `aud` its own origin, `exp` no more than 24 hours
//! ahead) and answers `403` when it does not hold. Messages it took are kept for
//! the test to read, with what it would hand the browser.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use data_encoding::BASE64URL_NOPAD;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A message the service took.
#[derive(Clone, Debug)]
pub struct Received {
    pub path: String,
    pub ttl: String,
    pub urgency: String,
    /// The VAPID key the message was signed with (`k`).
    pub sender_key: String,
    pub claims: serde_json::Value,
    pub body: Vec<u8>,
}

pub struct PushService {
    pub origin: String,
    /// The time the service checks `exp` against (the portal's test clock).
    pub now: Mutex<i64>,
    pub received: Mutex<Vec<Received>>,
    /// Every answer given, in order.
    pub answers: Mutex<Vec<u16>>,
}

/// Subscriptions under this path are expired.
pub const GONE_PREFIX: &str = "/gone/";

async fn take(
    State(service): State<Arc<PushService>>,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> impl IntoResponse {
    let status = check_and_keep(&service, &uri, &headers, &body);
    service.answers.lock().unwrap().push(status.as_u16());
    let location = format!("{}/message/{}", service.origin, uuid::Uuid::new_v4());
    (status, [("location", location)])
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

fn check_and_keep(
    service: &PushService,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> StatusCode {
    let ttl = header(headers, "ttl");
    if ttl.parse::<u64>().is_err() {
        // RFC 8030 section 5.2: TTL is required.
        return StatusCode::BAD_REQUEST;
    }
    if header(headers, "content-encoding") != "aes128gcm" {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE;
    }
    let Some((sender_key, claims)) = vapid(header(headers, "authorization")) else {
        return StatusCode::UNAUTHORIZED;
    };
    let now = *service.now.lock().unwrap();
    let exp = claims["exp"].as_i64().unwrap_or_default();
    if claims["aud"] != service.origin.as_str() || exp <= now || exp > now + 24 * 3600 {
        return StatusCode::FORBIDDEN;
    }
    if uri.path().starts_with(GONE_PREFIX) {
        return StatusCode::GONE;
    }
    service.received.lock().unwrap().push(Received {
        path: uri.path().to_owned(),
        ttl: ttl.to_owned(),
        urgency: header(headers, "urgency").to_owned(),
        sender_key,
        claims,
        body: body.to_vec(),
    });
    StatusCode::CREATED
}

/// `vapid t=<JWT>, k=<key>`: the key and the claims, if the JWT is ES256 and its
/// signature holds for that key.
fn vapid(authorization: &str) -> Option<(String, serde_json::Value)> {
    let rest = authorization.strip_prefix("vapid ")?;
    let mut token = None;
    let mut key = None;
    for part in rest.split(',') {
        let (name, value) = part.trim().split_once('=')?;
        match name {
            "t" => token = Some(value.to_owned()),
            "k" => key = Some(value.to_owned()),
            _ => {}
        }
    }
    let (token, key) = (token?, key?);
    let (signing_input, signature) = token.rsplit_once('.')?;
    let (header, claims) = signing_input.split_once('.')?;
    let header: serde_json::Value =
        serde_json::from_slice(&BASE64URL_NOPAD.decode(header.as_bytes()).ok()?).ok()?;
    if header["alg"] != "ES256" {
        return None;
    }
    let verifying =
        VerifyingKey::from_sec1_bytes(&BASE64URL_NOPAD.decode(key.as_bytes()).ok()?).ok()?;
    let signature =
        Signature::from_slice(&BASE64URL_NOPAD.decode(signature.as_bytes()).ok()?).ok()?;
    verifying
        .verify(signing_input.as_bytes(), &signature)
        .ok()?;
    let claims = serde_json::from_slice(&BASE64URL_NOPAD.decode(claims.as_bytes()).ok()?).ok()?;
    Some((key, claims))
}

pub async fn start(now: i64) -> Arc<PushService> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let service = Arc::new(PushService {
        origin: format!("http://{addr}"),
        now: Mutex::new(now),
        received: Mutex::new(Vec::new()),
        answers: Mutex::new(Vec::new()),
    });
    let app = axum::Router::new()
        .fallback(axum::routing::post(take))
        .with_state(service.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    service
}

impl PushService {
    /// Waits (up to ten seconds) until the service answered `count` messages.
    pub async fn answered(&self, count: usize) -> Vec<u16> {
        for _ in 0..200 {
            let answers = self.answers.lock().unwrap().clone();
            if answers.len() >= count {
                return answers;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the push service was not called {count} times");
    }
}
