//! Driving authenticator-app flows over HTTP, with codes computed from the secret the
//! portal showed (as an app would).

use crate::helpers::{PASSWORD, TestApp};
use app::services::otp::totp::{TotpParams, code_for_step};
use reqwest::{Client, StatusCode};

pub fn secret_bytes(grouped: &str) -> Vec<u8> {
    let compact: String = grouped.chars().filter(|c| !c.is_whitespace()).collect();
    data_encoding::BASE32_NOPAD
        .decode(compact.as_bytes())
        .expect("a base32 secret")
}

/// The code an app shows at `unix` (shifted by `steps` steps).
pub fn code_at(secret: &[u8], unix: i64, steps: i64) -> String {
    let params = TotpParams::AUTHENTICATOR_APPS;
    code_for_step(secret, params, params.step_at(unix) + steps)
}

pub struct Enrolled {
    pub method_id: i64,
    pub secret: Vec<u8>,
}

/// Begins and activates an app for the signed-in (or registering) `client`.
pub async fn enrol(t: &TestApp, client: &Client, name: &str) -> Enrolled {
    let res = t
        .post_form(client, "/api/begin_authenticator", &[("name", name)])
        .await;
    assert_eq!(res.status(), StatusCode::OK, "begin");
    let body: serde_json::Value = res.json().await.unwrap();
    let method_id = body["method_id"].as_i64().unwrap();
    let secret = secret_bytes(body["secret_grouped"].as_str().unwrap());
    let code = code_at(&secret, t.clock_now(), 0);
    let id = method_id.to_string();
    let res = t
        .post_form(
            client,
            "/api/activate_authenticator",
            &[("method_id", &id), ("code", &code)],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "activate: {}",
        res.text().await.unwrap()
    );
    Enrolled { method_id, secret }
}

/// Signs in with the password only (leaving a second step pending, if due).
pub async fn password_step(t: &TestApp, client: &Client, username: &str) -> reqwest::Response {
    t.sign_in_as(client, username, PASSWORD).await
}

pub async fn second_step(
    t: &TestApp,
    client: &Client,
    method_id: i64,
    code: &str,
    remember: bool,
) -> reqwest::Response {
    let id = method_id.to_string();
    let mut form = vec![("method_id", id.as_str()), ("code", code)];
    if remember {
        form.push(("remember", "on"));
    }
    t.post_form(client, "/api/verify_second_step", &form).await
}

/// Creates `username`, signs `t.client` in with the password and enrols an app.
pub async fn user_with_app(t: &TestApp, username: &str) -> (app::store::UserId, Enrolled) {
    let user = t.create_user(username, app::domain::Role::User).await;
    password_step(t, &t.client, username).await;
    let app = enrol(t, &t.client, "Phone").await;
    t.mfa_on(user).await;
    (user, app)
}

/// Another browser that passes the second step one step later and asks to be
/// remembered; returns it and the second step's response.
pub async fn remembered_browser(
    t: &TestApp,
    username: &str,
    app: &Enrolled,
) -> (Client, reqwest::Response) {
    let browser = crate::helpers::new_client();
    password_step(t, &browser, username).await;
    t.clock.advance_secs(30);
    let res = second_step(
        t,
        &browser,
        app.method_id,
        &code_at(&app.secret, t.clock_now(), 0),
        true,
    )
    .await;
    (browser, res)
}

pub async fn error_of(res: reqwest::Response) -> String {
    let body: serde_json::Value = res.json().await.unwrap();
    match body {
        serde_json::Value::String(unit) => unit,
        serde_json::Value::Object(map) => map.keys().next().cloned().unwrap_or_default(),
        other => other.to_string(),
    }
}

/// The message of an `Invalid` (field) error.
pub async fn invalid_message(res: reqwest::Response) -> String {
    let body: serde_json::Value = res.json().await.unwrap();
    body["Invalid"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The field an `Invalid` error names.
pub async fn invalid_field(res: reqwest::Response) -> String {
    let body: serde_json::Value = res.json().await.unwrap();
    body["Invalid"]["field"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}
