//! The portal's side of push flows in tests: adding a device from Security info,
//! sending a sign-in prompt and asking where it stands, as the pages do.

use crate::helpers::{TestApp, new_client};
use crate::push_app::{Answer, Portal, PushApp};
use crate::totp_helpers::password_step;
use app::domain::Role;
use app::store::UserId;
use reqwest::{Client, StatusCode};

impl Portal for TestApp {
    fn url(&self, path: &str) -> String {
        TestApp::url(self, path)
    }

    fn clock_now(&self) -> i64 {
        TestApp::clock_now(self)
    }
}

/// Adds a device for the signed-in (or registering) `client`: QR code, enrolment,
/// the test prompt approved with its number. Returns the app and the method id.
pub async fn add_device(t: &TestApp, client: &Client, name: &str, bits: usize) -> (PushApp, i64) {
    add_device_with(t, client, name, bits, |_| {}).await
}

/// `add_device` for an app set up by `configure` before it enrols.
pub async fn add_device_with(
    t: &TestApp,
    client: &Client,
    name: &str,
    bits: usize,
    configure: impl FnOnce(&mut PushApp),
) -> (PushApp, i64) {
    let (method_id, uri) = begin_device(t, client, name).await;
    let mut phone = PushApp::scanned(&uri, bits);
    configure(&mut phone);
    let res = phone.enrol(t).await;
    phone.keep_server_key(res).await;
    let code = test_prompt_code(t, client, method_id).await;
    let prompts = phone.poll(t).await;
    assert_eq!(prompts.len(), 1, "the test prompt reaches the new device");
    assert!(accepted_answer(
        &phone.answer(t, &prompts[0], Answer::Pick(code)).await
    ));
    assert_eq!(activation(t, client, method_id).await, "Active");
    (phone, method_id)
}

/// Starts adding a device named `name`: the pending method's id and the QR code's URI.
pub async fn begin_device(t: &TestApp, client: &Client, name: &str) -> (i64, String) {
    let res = t
        .post_form(client, "/api/begin_push_device", &[("name", name)])
        .await;
    assert_eq!(res.status(), StatusCode::OK, "begin");
    let view: serde_json::Value = res.json().await.unwrap();
    let method_id = view["method_id"].as_i64().unwrap();
    (method_id, view["uri"].as_str().unwrap().to_owned())
}

fn accepted_answer(answer: &serde_json::Value) -> bool {
    crate::push_app::accepted(answer)
}

/// Where adding `method_id` stands (`"WaitingForApp"`, `"Active"`, or an object).
pub async fn activation(t: &TestApp, client: &Client, method_id: i64) -> serde_json::Value {
    let id = method_id.to_string();
    let res = t
        .post_form(client, "/api/push_device_activation", &[("method_id", &id)])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// The code the page shows once the app enrolled and the test prompt went out.
pub async fn test_prompt_code(t: &TestApp, client: &Client, method_id: i64) -> String {
    let now = activation(t, client, method_id).await;
    now["TestPromptSent"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("a test prompt was sent: {now}"))
        .to_owned()
}

/// A person with one active device (MFA on afterwards); `t.client` stays signed in.
pub async fn user_with_device(t: &TestApp, username: &str) -> (UserId, PushApp) {
    let user = t.create_user(username, Role::User).await;
    password_step(t, &t.client, username).await;
    let (phone, _) = add_device(t, &t.client, "My phone", 2048).await;
    t.mfa_on(user).await;
    (user, phone)
}

/// A new browser at the second step of `username`'s sign-in.
pub async fn at_second_step(t: &TestApp, username: &str) -> Client {
    let browser = new_client();
    password_step(t, &browser, username).await;
    browser
}

pub async fn send_prompt(t: &TestApp, browser: &Client) -> reqwest::Response {
    t.post_form(browser, "/api/start_push", &[("purpose", "sign_in")])
        .await
}

/// Sends a prompt that must be accepted; its view.
pub async fn prompt(t: &TestApp, browser: &Client) -> serde_json::Value {
    let res = send_prompt(t, browser).await;
    assert_eq!(res.status(), StatusCode::OK, "the prompt is sent");
    res.json().await.unwrap()
}

/// Where the prompt stands (waits while it is open: call once it was answered).
pub async fn status(
    t: &TestApp,
    browser: &Client,
    prompt: &serde_json::Value,
) -> reqwest::Response {
    let id = prompt["challenge_id"].as_i64().unwrap().to_string();
    let form = [("challenge_id", id.as_str()), ("purpose", "sign_in")];
    t.post_form(browser, "/api/push_status", &form).await
}

pub async fn status_word(t: &TestApp, browser: &Client, prompt: &serde_json::Value) -> String {
    let res = status(t, browser, prompt).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json::<String>().await.unwrap()
}

pub async fn result_codes(t: &TestApp, user: UserId) -> Vec<i64> {
    sqlx::query_scalar("SELECT result_code FROM sign_in_events WHERE user_id = $1 ORDER BY id")
        .bind(user.0)
        .fetch_all(t.app.state.db.pool())
        .await
        .unwrap()
}
