//! The admin dashboard's figures.

use crate::helpers::{PASSWORD, TestApp, new_client, spawn};
use crate::totp_helpers::user_with_app;
use app::domain::Role;
use reqwest::StatusCode;
use serde_json::Value;

fn bar(bars: &Value, label: &str) -> i64 {
    bars.as_array()
        .unwrap()
        .iter()
        .find(|b| b["label"] == label)
        .map_or(0, |b| b["value"].as_i64().unwrap())
}

async fn dashboard(t: &TestApp, client: &reqwest::Client) -> Value {
    let res = t.post_form(client, "/api/admin_dashboard", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_ins_coverage_accounts_and_delivery_are_counted() {
    let t = spawn().await;
    // Two days ago: one wrong password.
    t.create_user("erin", Role::User).await;
    t.sign_in_as(&new_client(), "erin", "wrong password").await;
    t.clock.advance_secs(2 * 86_400);
    // Today: dana registers an app (password, then a code), a wrong password.
    user_with_app(&t, "dana").await;
    t.sign_in_as(&new_client(), "dana", "wrong password").await;
    let zed = t.create_user("zed", Role::User).await;
    app::store::users::set_mfa_state(&t.app.state.db, zed, app::domain::MfaState::Enforced)
        .await
        .unwrap();
    t.create_user("root", Role::Admin).await;
    let root = new_client();
    t.sign_in_as(&root, "root", PASSWORD).await;

    let view = dashboard(&t, &root).await;
    let day = &view["periods"][0];
    let week = &view["periods"][1];
    assert_eq!(day["title"], "Last 24 hours");
    assert_eq!(bar(&day["by_outcome"], "Refused"), 1);
    assert_eq!(
        bar(&week["by_outcome"], "Refused"),
        2,
        "the older one counts in the week"
    );
    assert_eq!(bar(&day["by_outcome"], "Succeeded"), 2, "dana and root");
    assert_eq!(bar(&day["by_method"], "Password"), 3);
    assert_eq!(view["users"], 4);
    assert_eq!(bar(&view["coverage"], "At least one method"), 1);
    assert_eq!(bar(&view["coverage"], "Authenticator app"), 1);
    assert_eq!(bar(&view["coverage"], "Phone"), 0);
    assert_eq!(view["enforced_unregistered"], 1);
    assert_eq!(view["open_fraud_reports"], 0);
    let emails = view["delivery"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["channel"] == "E-mails")
        .expect("the method-added notice is queued");
    assert_eq!(
        emails["queued"].as_i64().unwrap() + emails["sent"].as_i64().unwrap(),
        1
    );

    let user = new_client();
    t.sign_in_as(&user, "erin", PASSWORD).await;
    assert_eq!(
        t.post_form(&user, "/api/admin_dashboard", &[])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
