//! "This wasn't me": the report, the admins' alert e-mail, and securing the account.

use crate::helpers::{PASSWORD, TestApp, new_client, spawn};
use crate::history::history;
use crate::smtp_server::{SmtpServer, spawn_mailing_to};
use crate::totp_helpers::{remembered_browser, user_with_app};
use app::domain::Role;
use app::store::fraud_reports;
use app::store::testing::audit;
use reqwest::{Client, StatusCode};
use serde_json::Value;

const NEW_PASSWORD: &str = "a brand new passphrase 7";

async fn newest_event_id(t: &TestApp, client: &Client) -> String {
    let (_, page) = history(t, client, &[]).await;
    page["rows"][0]["id"].as_i64().unwrap().to_string()
}

async fn report(t: &TestApp, client: &Client, event_id: &str) -> Value {
    let res = t
        .post_form(client, "/api/report_sign_in", &[("event_id", event_id)])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

async fn verify_app_password(t: &TestApp, password: &str) -> StatusCode {
    new_client()
        .post(t.url("/api/v1/app-password/verify"))
        .basic_auth("alice", Some(password))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_reaches_the_configured_addresses_by_mail_without_secrets() {
    let smtp = SmtpServer::start();
    let t = spawn_mailing_to(&smtp, |c| {
        c.fraud_alert_addresses = vec!["security@example.com".into(), "soc@example.com".into()];
    })
    .await;
    t.create_user("alice", Role::User).await;
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let event = newest_event_id(&t, &t.client).await;
    let first = report(&t, &t.client, &event).await;
    assert_eq!(first["secured"], false);

    let messages = smtp.wait_for(2).await;
    assert_eq!(messages.len(), 2, "one alert per configured address");
    let mut recipients: Vec<&str> = messages
        .iter()
        .filter_map(|m| m.lines().find(|l| l.starts_with("To: ")))
        .collect();
    recipients.sort_unstable();
    assert_eq!(
        recipients,
        ["To: security@example.com", "To: soc@example.com"]
    );
    let alert = &messages[0];
    assert!(
        alert.contains("Subject: Fraud report: alice did not make a sign-in"),
        "{alert}"
    );
    assert!(
        alert.contains("reported a sign-in they did not make"),
        "{alert}"
    );
    assert!(alert.contains("1001 Password Verified"), "{alert}");
    assert!(!alert.contains(PASSWORD), "no password in the alert");

    // A second click finds the first report: no new row, no new alert.
    let again = report(&t, &t.client, &event).await;
    assert_eq!(again["report_id"], first["report_id"]);
    let open = fraud_reports::open(&t.app.state.db, 10).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].source.as_str(), "history");
    assert_eq!(open[0].ip, "127.0.0.1");
    assert_eq!(
        open[0].sign_in_event_id.map(|id| id.to_string()),
        Some(event)
    );
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    assert_eq!(smtp.messages().len(), 2);
    let (_, page) = history(&t, &t.client, &[]).await;
    assert_eq!(page["rows"][0]["reported"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_configured_addresses_the_admins_are_alerted() {
    let t = spawn().await;
    t.create_user("root", Role::Admin).await;
    t.create_user("alice", Role::User).await;
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let event = newest_event_id(&t, &t.client).await;
    report(&t, &t.client, &event).await;
    let recipients: Vec<String> =
        sqlx::query_scalar("SELECT recipient FROM outbox WHERE subject LIKE 'Fraud report%'")
            .fetch_all(t.app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(recipients, ["root@example.com"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn securing_the_account_revokes_everything_at_once_and_keeps_this_session() {
    let t = spawn().await;
    let (alice, app) = user_with_app(&t, "alice").await;
    let res = t
        .post_form(&t.client, "/api/create_app_password", &[("name", "Mail")])
        .await;
    let app_password = res.json::<Value>().await.unwrap()["password"]
        .as_str()
        .unwrap()
        .to_owned();
    let (other_browser, res) = remembered_browser(&t, "alice", &app).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(t.whoami(&other_browser).await["username"], "alice");
    let event = newest_event_id(&t, &t.client).await;
    let report_id = report(&t, &t.client, &event).await["report_id"].to_string();

    let wrong = [
        ("report_id", report_id.as_str()),
        ("current_password", "not my password"),
        ("new_password", NEW_PASSWORD),
    ];
    let res = t.post_form(&t.client, "/api/secure_account", &wrong).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        t.whoami(&other_browser).await["username"],
        "alice",
        "nothing changed"
    );
    assert_eq!(verify_app_password(&t, &app_password).await, StatusCode::OK);

    let weak = [
        ("report_id", report_id.as_str()),
        ("current_password", PASSWORD),
        ("new_password", "alice"),
    ];
    let res = t.post_form(&t.client, "/api/secure_account", &weak).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    let form = [
        ("report_id", report_id.as_str()),
        ("current_password", PASSWORD),
        ("new_password", NEW_PASSWORD),
    ];
    let res = t.post_form(&t.client, "/api/secure_account", &form).await;
    assert_eq!(res.status(), StatusCode::OK);
    let done: Value = res.json().await.unwrap();
    assert_eq!(done["browsers_forgotten"], 1);
    assert_eq!(done["app_passwords_revoked"], 1);

    assert_eq!(t.whoami(&t.client).await["username"], "alice", "kept");
    assert!(t.whoami(&other_browser).await.is_null(), "signed out");
    assert_eq!(
        verify_app_password(&t, &app_password).await,
        StatusCode::UNAUTHORIZED
    );
    // The remembered browser must pass the second step again, with the new password.
    let res = t.sign_in_as(&other_browser, "alice", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "old password");
    let res = t.sign_in_as(&other_browser, "alice", NEW_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(t.whoami(&other_browser).await.is_null(), "second step due");

    let report = fraud_reports::find(&t.app.state.db, alice, report_id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(report.secured_at.is_some());
    let actions = audit::actions_for(&t.app.state.db, alice).await.unwrap();
    assert!(actions.iter().any(|a| a == "fraud.reported"));
    assert!(actions.iter().any(|a| a == "account.secured"));

    // Another user's report id is refused.
    t.create_user("bob", Role::User).await;
    let bob = new_client();
    t.sign_in_as(&bob, "bob", PASSWORD).await;
    let steal = [
        ("report_id", report_id.as_str()),
        ("current_password", PASSWORD),
        ("new_password", NEW_PASSWORD),
    ];
    let res = t.post_form(&bob, "/api/secure_account", &steal).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
