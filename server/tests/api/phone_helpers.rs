//! Phones in tests: the portal in development mode (the development phone), reading
//! texts and answering calls through its inbox, and a user with a verified phone.

use crate::helpers::{PASSWORD, TestApp, spawn_with};
use app::domain::Role;
use app::store::dev_phone;
use reqwest::{Client, StatusCode};
use std::time::Duration;

pub const MOBILE: &str = "0612345678";
pub const MOBILE_E164: &str = "+31612345678";

pub async fn spawn_dev() -> TestApp {
    spawn_with(|c| c.dev = true).await
}

/// The newest message of `kind` to `to` (waits for the delivery worker).
pub async fn newest_message(
    t: &TestApp,
    kind: &str,
    to: &str,
    after_id: i64,
) -> dev_phone::DevMessageRow {
    for _ in 0..100 {
        let found = dev_phone::latest(&t.app.state.db, 20)
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.kind.as_str() == kind && m.to_number == to && m.id > after_id);
        if let Some(message) = found {
            return message;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no {kind} to {to} arrived");
}

pub async fn newest_id(t: &TestApp) -> i64 {
    dev_phone::latest(&t.app.state.db, 1)
        .await
        .unwrap()
        .first()
        .map_or(0, |m| m.id)
}

/// The six-digit code in a text or a code call.
pub fn code_in(body: &str) -> String {
    let digits: String = body.chars().filter(char::is_ascii_digit).take(6).collect();
    assert_eq!(digits.len(), 6, "no code in {body:?}");
    digits
}

/// Adds a phone for the signed-in `client` and returns the challenge JSON.
pub async fn add_phone(
    t: &TestApp,
    client: &Client,
    number: &str,
    kind: &str,
    channel: &str,
) -> reqwest::Response {
    t.post_form(
        client,
        "/api/add_phone",
        &[
            ("region", "NL"),
            ("number", number),
            ("phone_type", kind),
            ("channel", channel),
        ],
    )
    .await
}

/// Posts the code that verifies a phone being added.
pub async fn verify_enrol(
    t: &TestApp,
    client: &Client,
    challenge_id: &str,
    code: &str,
) -> reqwest::Response {
    t.post_form(
        client,
        "/api/verify_phone",
        &[("challenge_id", challenge_id), ("code", code)],
    )
    .await
}

/// A mobile phone added by text and not yet verified.
pub struct PendingPhone {
    /// The challenge id, as a form value.
    pub id: String,
    pub code: String,
    /// The text's id on the development phone.
    pub message_id: i64,
}

/// Creates `username` (no method yet), signs `t.client` in and adds the mobile
/// phone by text.
pub async fn adding_phone(t: &TestApp, username: &str) -> (app::store::UserId, PendingPhone) {
    let user = t.create_user(username, Role::User).await;
    t.sign_in_as(&t.client, username, PASSWORD).await;
    let before = newest_id(t).await;
    let res = add_phone(t, &t.client, MOBILE, "mobile", "sms").await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "add: {}",
        res.text().await.unwrap()
    );
    let challenge: serde_json::Value = res.json().await.unwrap();
    let text = newest_message(t, "sms", MOBILE_E164, before).await;
    let pending = PendingPhone {
        id: challenge["challenge_id"].as_i64().unwrap().to_string(),
        code: code_in(&text.body),
        message_id: text.id,
    };
    (user, pending)
}

/// As [`adding_phone`], then verified.
pub async fn user_with_phone(t: &TestApp, username: &str) -> app::store::UserId {
    let (user, pending) = adding_phone(t, username).await;
    let res = verify_enrol(t, &t.client, &pending.id, &pending.code).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "verify: {}",
        res.text().await.unwrap()
    );
    t.mfa_on(user).await;
    user
}

/// Starts a text or call at the second step of `client`'s pending sign-in.
pub async fn start_second_step(
    t: &TestApp,
    client: &Client,
    method_id: i64,
    channel: &str,
) -> reqwest::Response {
    let id = method_id.to_string();
    t.post_form(
        client,
        "/api/start_phone_sign_in",
        &[
            ("method_id", &id),
            ("channel", channel),
            ("purpose", "sign_in"),
        ],
    )
    .await
}

pub async fn second_step_view(t: &TestApp, client: &Client) -> serde_json::Value {
    let res = t.post_form(client, "/api/second_step", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// Where a test reads the latest texted code (the fake gateway).
pub trait CodeSource {
    fn latest_code(&self) -> Option<String>;
}

/// As [`user_with_phone`], with texts going through a gateway (user "bob").
pub async fn user_with_phone_via_gateway(
    t: &TestApp,
    codes: &impl CodeSource,
) -> app::store::UserId {
    let user = t.create_user("bob", Role::User).await;
    t.sign_in_as(&t.client, "bob", PASSWORD).await;
    let res = add_phone(t, &t.client, MOBILE, "mobile", "sms").await;
    let challenge: serde_json::Value = res.json().await.unwrap();
    let mut code = None;
    for _ in 0..100 {
        code = codes.latest_code();
        if code.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let code = code.expect("the gateway got the text");
    let id = challenge["challenge_id"].as_i64().unwrap().to_string();
    let res = verify_enrol(t, &t.client, &id, &code).await;
    assert_eq!(res.status(), StatusCode::OK);
    t.mfa_on(user).await;
    user
}

/// Posts a code for the challenge `id` as the phone page does, for `purpose`.
pub async fn verify_phone_code(
    t: &TestApp,
    client: &Client,
    id: &str,
    code: &str,
    purpose: &str,
) -> reqwest::Response {
    t.post_form(
        client,
        "/api/verify_phone_sign_in",
        &[("challenge_id", id), ("code", code), ("purpose", purpose)],
    )
    .await
}

/// Confirms identity for the signed-in `client` with a text to their first phone.
pub async fn confirm_by_text(t: &TestApp, client: &Client) {
    let info: serde_json::Value = t
        .post_form(client, "/api/security_info", &[])
        .await
        .json()
        .await
        .unwrap();
    let method_id = info["phones"][0]["method_id"].as_i64().unwrap().to_string();
    let before = newest_id(t).await;
    let res = t
        .post_form(
            client,
            "/api/start_phone_sign_in",
            &[
                ("method_id", &method_id),
                ("channel", "sms"),
                ("purpose", "confirm"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "start: {}",
        res.text().await.unwrap()
    );
    let challenge: serde_json::Value = res.json().await.unwrap();
    let code = code_in(&newest_message(t, "sms", MOBILE_E164, before).await.body);
    let id = challenge["challenge_id"].as_i64().unwrap().to_string();
    let res = verify_phone_code(t, client, &id, &code, "confirm").await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "confirm: {}",
        res.text().await.unwrap()
    );
}
