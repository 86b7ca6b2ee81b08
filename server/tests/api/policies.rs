//! The admin's policies page: every run-time setting in one place, each change
//! validated, audited and in force at once.

use crate::helpers::{PASSWORD, TestApp, new_client, spawn};
use crate::totp_helpers::error_of;
use app::domain::Role;
use reqwest::{Client, StatusCode};
use serde_json::Value;

async fn admin(t: &TestApp) -> Client {
    t.create_user("root", Role::Admin).await;
    let client = new_client();
    t.sign_in_as(&client, "root", PASSWORD).await;
    client
}

async fn set(t: &TestApp, admin: &Client, key: &str, value: &str) -> reqwest::Response {
    t.post_form(
        admin,
        "/api/admin_set_policy",
        &[("key", key), ("value", value)],
    )
    .await
}

async fn page(t: &TestApp, admin: &Client, since: &str) -> Value {
    let res = t
        .post_form(admin, "/api/admin_policies", &[("since", since)])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

fn value_of(page: &Value, key: &str) -> String {
    page["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["settings"].as_array().unwrap())
        .find(|s| s["key"] == key)
        .map(|s| s["value"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("{key} is on the page"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_setting_shows_its_value_and_a_change_takes_effect_at_once() {
    let t = spawn().await;
    let root = admin(&t).await;
    let view = page(&t, &root, "").await;
    let count: usize = view["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["settings"].as_array().unwrap().len())
        .sum();
    assert_eq!(count, app::services::portal_settings::KEYS.len());
    assert_eq!(
        value_of(&view, "lockout_threshold"),
        "10",
        "the configuration's value"
    );
    assert_eq!(value_of(&view, "enforce_after_registration"), "true");

    // Refusals beside the field, saying what is accepted.
    let res = set(&t, &root, "lockout_threshold", "0").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "value");
    assert_eq!(
        body["Invalid"]["message"],
        "Enter a whole number from 1 to 100."
    );
    let res = set(&t, &root, "colour", "blue").await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["Invalid"]["field"],
        "key"
    );
    let res = set(
        &t,
        &root,
        "fraud_alert_addresses",
        "soc@example.com, nonsense",
    )
    .await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["Invalid"]["field"],
        "value"
    );

    // Three wrong passwords now lock an account.
    assert_eq!(
        set(&t, &root, "lockout_threshold", "3").await.status(),
        StatusCode::OK
    );
    let dana = t.create_user("dana", Role::User).await;
    for _ in 0..3 {
        t.sign_in_as(&new_client(), "dana", "wrong password").await;
    }
    let row = app::store::users::find_by_id(&t.app.state.db, dana)
        .await
        .unwrap()
        .unwrap();
    assert!(
        row.locked_until.is_some_and(|until| until > t.clock_now()),
        "locked after 3"
    );

    // App passwords turned off: creating one is refused.
    assert_eq!(
        set(&t, &root, "app_passwords_allowed", "false")
            .await
            .status(),
        StatusCode::OK
    );
    let erin = new_client();
    t.create_user("erin", Role::User).await;
    t.sign_in_as(&erin, "erin", PASSWORD).await;
    let res = t
        .post_form(&erin, "/api/create_app_password", &[("name", "Mail")])
        .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body["Invalid"]["message"],
        "Your organisation does not allow app passwords."
    );

    let view = page(&t, &root, "").await;
    assert_eq!(value_of(&view, "lockout_threshold"), "3");
    let changes: Vec<(&str, &str)> = view["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["actor"].as_str().unwrap(), c["detail"].as_str().unwrap()))
        .collect();
    assert_eq!(
        changes,
        [
            ("root", "app_passwords_allowed: (default) -> false"),
            ("root", "lockout_threshold: (default) -> 3"),
        ]
    );
    // Changes since a later day: none; a bad day is refused beside its field.
    let tomorrow = time::OffsetDateTime::from_unix_timestamp(t.clock_now() + 86_400)
        .unwrap()
        .date()
        .to_string();
    assert!(
        page(&t, &root, &tomorrow).await["changes"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let res = t
        .post_form(&root, "/api/admin_policies", &[("since", "yesterday")])
        .await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["Invalid"]["field"],
        "since"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_recently_verified_admin_changes_policy() {
    let t = spawn().await;
    let root = admin(&t).await;
    t.create_user("harper", Role::Helpdesk).await;
    let helpdesk = new_client();
    t.sign_in_as(&helpdesk, "harper", PASSWORD).await;
    assert_eq!(
        set(&t, &helpdesk, "lockout_threshold", "3").await.status(),
        StatusCode::FORBIDDEN
    );
    let res = t.post_form(&helpdesk, "/api/admin_policies", &[]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    t.clock.advance_secs(11 * 60);
    let res = set(&t, &root, "lockout_threshold", "3").await;
    assert_eq!(error_of(res).await, "ReauthenticationRequired");
    assert_eq!(
        value_of(&page(&t, &root, "").await, "lockout_threshold"),
        "10"
    );
}
