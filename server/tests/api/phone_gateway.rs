//! The Twilio-style gateway provider against a local HTTP server that plays the
//! gateway: texts with basic auth and form fields, a 5xx retried until it succeeds,
//! a 4xx given up ("could not reach your phone"), and the voice webhook's signature.

use crate::helpers::{PASSWORD, TestApp, spawn_with};
use app::domain::Role;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const TOKEN: &str = "gateway-test-token";

/// One request the gateway received: path, `Authorization` header, form fields.
pub type Seen = (String, String, Vec<(String, String)>);

#[derive(Default)]
pub struct Gateway {
    /// Statuses to answer with, in order; then 201. `0` stalls longer than the
    /// portal waits (a timeout), then answers 201.
    pub script: Mutex<VecDeque<u16>>,
    /// (path, authorization header, form fields) of every request.
    pub seen: Mutex<Vec<Seen>>,
}

async fn handle(
    State(gateway): State<Arc<Gateway>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> (StatusCode, String) {
    let form = url::form_urlencoded::parse(&body).into_owned().collect();
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    gateway
        .seen
        .lock()
        .unwrap()
        .push((uri.path().to_owned(), auth, form));
    let mut status = gateway.script.lock().unwrap().pop_front().unwrap_or(201);
    if status == 0 {
        tokio::time::sleep(Duration::from_secs(3)).await;
        status = 201;
    }
    let code = StatusCode::from_u16(status).unwrap();
    if code.is_success() {
        (code, "{\"sid\":\"SM123\"}".to_owned())
    } else {
        (code, "{\"message\":\"scripted failure\"}".to_owned())
    }
}

pub async fn start_gateway(script: &[u16]) -> (String, Arc<Gateway>) {
    let gateway = Arc::new(Gateway::default());
    gateway
        .script
        .lock()
        .unwrap()
        .extend(script.iter().copied());
    let app = axum::Router::new()
        .fallback(axum::routing::post(handle))
        .with_state(gateway.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), gateway)
}

pub async fn spawn_with_gateway(base: &str) -> TestApp {
    spawn_with_gateway_mode(base, app::domain::VoiceMode::Match).await
}

/// As [`spawn_with_gateway`], with calls in `mode` and room for many calls an hour.
pub async fn spawn_with_gateway_mode(base: &str, mode: app::domain::VoiceMode) -> TestApp {
    let base = base.to_owned();
    spawn_with(move |c| {
        c.voice_mode = mode;
        c.phone_per_number_per_hour = 100;
        c.phone_per_user_per_hour = 100;
        c.phone_provider = Some(server::config::PhoneProviderKind::Twilio);
        c.twilio_base_url = url::Url::parse(&base).unwrap();
        c.twilio_account_sid = Some("AC123".to_owned());
        c.twilio_auth_token = Some(secrecy::SecretString::from(TOKEN.to_owned()));
        c.twilio_from_number = Some("+3197010000000".to_owned());
        c.twilio_timeout_seconds = 2;
    })
    .await
}

pub async fn requests_seen(gateway: &Gateway, count: usize) -> Vec<Seen> {
    for _ in 0..100 {
        let seen = gateway.seen.lock().unwrap().clone();
        if seen.len() >= count {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the gateway saw fewer than {count} requests");
}

/// A column of the (one) queued text, read until it shows `wanted` or five seconds
/// pass; returns what it last showed.
async fn outbox_sms_column(t: &TestApp, column: &str, wanted: &str) -> String {
    let sql = format!("SELECT {column} FROM outbox WHERE channel = 'sms'");
    let mut value = String::new();
    for _ in 0..100 {
        value = sqlx::query_scalar(&sql)
            .fetch_one(t.app.state.db.pool())
            .await
            .unwrap();
        if value == wanted {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    value
}

pub fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

#[tokio::test]
async fn a_gateway_error_is_retried_until_the_text_goes_out() {
    let (base, gateway) = start_gateway(&[503]).await;
    let t = spawn_with_gateway(&base).await;
    t.create_user("zed", Role::User).await;
    t.sign_in_as(&t.client, "zed", PASSWORD).await;
    let res = crate::phone_helpers::add_phone(&t, &t.client, "0612345678", "mobile", "sms").await;
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    let challenge: serde_json::Value = res.json().await.unwrap();
    let first = requests_seen(&gateway, 1).await;
    assert_eq!(first[0].0, "/2010-04-01/Accounts/AC123/Messages.json");
    // The retry is due 5 s later by the portal's clock.
    t.clock.advance_secs(5);
    let seen = requests_seen(&gateway, 2).await;
    let (_, auth, form) = &seen[1];
    assert!(auth.starts_with("Basic "), "{auth}");
    assert_eq!(field(form, "To"), "+31612345678");
    assert_eq!(field(form, "From"), "+3197010000000");
    let code = crate::phone_helpers::code_in(field(form, "Body"));
    let id = challenge["challenge_id"].as_i64().unwrap().to_string();
    let res = crate::phone_helpers::verify_enrol(&t, &t.client, &id, &code).await;
    assert_eq!(res.status(), reqwest::StatusCode::OK);
}

#[tokio::test]
async fn a_gateway_that_does_not_answer_in_time_is_tried_again() {
    let (base, gateway) = start_gateway(&[0]).await;
    let t = spawn_with_gateway(&base).await;
    t.create_user("cal", Role::User).await;
    t.sign_in_as(&t.client, "cal", PASSWORD).await;
    let res = crate::phone_helpers::add_phone(&t, &t.client, "0612345678", "mobile", "sms").await;
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    requests_seen(&gateway, 1).await;
    // The portal gives up after twilio_timeout_seconds (2) and retries 5 s later.
    let attempts: String = outbox_sms_column(&t, "CAST(attempts AS TEXT)", "1").await;
    assert_eq!(attempts, "1", "the timed-out attempt is counted");
    t.clock.advance_secs(5);
    requests_seen(&gateway, 2).await;
    let status = outbox_sms_column(&t, "status", "sent").await;
    assert_eq!(status, "sent");
}

#[tokio::test]
async fn a_refused_text_ends_as_could_not_reach_your_phone() {
    let (base, gateway) = start_gateway(&[400]).await;
    let t = spawn_with_gateway(&base).await;
    t.create_user("amy", Role::User).await;
    t.sign_in_as(&t.client, "amy", PASSWORD).await;
    let challenge: serde_json::Value =
        crate::phone_helpers::add_phone(&t, &t.client, "0612345678", "mobile", "sms")
            .await
            .json()
            .await
            .unwrap();
    requests_seen(&gateway, 1).await;
    let id = challenge["challenge_id"].as_i64().unwrap().to_string();
    let mut status = serde_json::Value::Null;
    for _ in 0..50 {
        let res = t
            .post_form(
                &t.client,
                "/api/phone_status",
                &[("challenge_id", &id), ("purpose", "enrol")],
            )
            .await;
        status = res.json().await.unwrap();
        if status == "Unreachable" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status, "Unreachable");
    let res = t
        .post_form(
            &t.client,
            "/api/verify_phone",
            &[("challenge_id", &id), ("code", "123456")],
        )
        .await;
    assert_eq!(crate::totp_helpers::error_of(res).await, "PhoneUnreachable");
}

#[tokio::test]
async fn the_voice_webhook_needs_the_gateways_signature() {
    let (base, gateway) = start_gateway(&[]).await;
    let t = spawn_with_gateway(&base).await;
    crate::phone_helpers::user_with_phone_via_gateway(&t, &gateway).await;
    let browser = crate::helpers::new_client();
    crate::totp_helpers::password_step(&t, &browser, "bob").await;
    let method_id =
        crate::phone_helpers::second_step_view(&t, &browser).await["phones"][0]["method_id"]
            .as_i64()
            .unwrap();
    let res = crate::phone_helpers::start_second_step(&t, &browser, method_id, "voice").await;
    let challenge: serde_json::Value = res.json().await.unwrap();
    let calls = requests_seen(&gateway, 2).await;
    let (path, _, form) = calls.last().unwrap().clone();
    assert!(path.ends_with("/Calls.json"), "{path}");
    let twiml = field(&form, "Twiml");
    assert!(twiml.contains("<Gather"), "{twiml}");
    let status_url = field(&form, "StatusCallback");
    let token = status_url.split('/').rev().nth(1).unwrap().to_owned();
    // The gateway signs what it posts to the public URL.
    let public = t
        .config
        .public_url
        .as_str()
        .trim_end_matches('/')
        .to_owned();
    let path = format!("/webhooks/voice/{token}/gather");
    let shown = challenge["match_number"].as_str().unwrap().to_owned();
    let params = vec![
        ("CallSid".to_owned(), "CA1".to_owned()),
        ("Digits".to_owned(), shown),
    ];
    let good = app::providers::twilio::signature(TOKEN, &format!("{public}{path}"), &params);
    let post = |signature: String| {
        let params = params.clone();
        let url = t.url(&path);
        async move {
            reqwest::Client::new()
                .post(url)
                .header("x-twilio-signature", signature)
                .form(&params)
                .send()
                .await
                .unwrap()
        }
    };
    let forged = post("bm90IHRoZSBzaWduYXR1cmU=".to_owned()).await;
    assert_eq!(forged.status(), reqwest::StatusCode::FORBIDDEN);
    let id = challenge["challenge_id"].as_i64().unwrap().to_string();
    let res = t
        .post_form(
            &browser,
            "/api/phone_status",
            &[("challenge_id", &id), ("purpose", "sign_in")],
        )
        .await;
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap(),
        "Waiting",
        "a forged answer changes nothing"
    );
    let res = post(good).await;
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    assert!(res.text().await.unwrap().contains("approved"));
    let res = t
        .post_form(
            &browser,
            "/api/phone_status",
            &[("challenge_id", &id), ("purpose", "sign_in")],
        )
        .await;
    assert_eq!(res.json::<serde_json::Value>().await.unwrap(), "Approved");
    assert_eq!(t.whoami(&browser).await["username"], "bob");
}

/// The code in the newest text the gateway was asked to send.
impl crate::phone_helpers::CodeSource for Arc<Gateway> {
    fn latest_code(&self) -> Option<String> {
        let seen = self.seen.lock().unwrap();
        seen.iter()
            .rev()
            .find(|(path, _, _)| path.ends_with("/Messages.json"))
            .map(|(_, _, form)| crate::phone_helpers::code_in(field(form, "Body")))
    }
}
