//! The admins' fraud queue: open reports with their context, decided once, the
//! prompt block kept or lifted, the person told.

use crate::helpers::{PASSWORD, TestApp, new_client, spawn};
use crate::totp_helpers::error_of;
use app::domain::Role;
use app::services::fraud::prompts_blocked;
use app::store::UserId;
use app::store::fraud_reports::{self, NewFraudReport, ReportSource};
use futures_util::future::join_all;
use reqwest::{Client, StatusCode};
use serde_json::Value;

async fn admin(t: &TestApp) -> Client {
    t.create_user("root", Role::Admin).await;
    let client = new_client();
    t.sign_in_as(&client, "root", PASSWORD).await;
    client
}

/// A report from a call's 0#, as the voice webhook records it.
async fn call_report(t: &TestApp, user: UserId) -> i64 {
    let report = NewFraudReport {
        user,
        source: ReportSource::Call,
        sign_in_event_id: None,
        challenge_id: None,
        reported_at: t.clock_now(),
        ip: "198.51.100.9",
    };
    fraud_reports::insert(t.app.state.db.pool(), report)
        .await
        .unwrap()
        .unwrap()
}

async fn decide(
    t: &TestApp,
    admin: &Client,
    report: i64,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let id = report.to_string();
    let mut all = vec![("report_id", id.as_str())];
    all.extend_from_slice(form);
    if !form.iter().any(|(k, _)| *k == "notes") {
        all.push(("notes", ""));
    }
    t.post_form(admin, "/api/admin_decide_report", &all).await
}

async fn queue(t: &TestApp, admin: &Client) -> Value {
    let res = t.post_form(admin, "/api/admin_fraud_queue", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

async fn mails_to(t: &TestApp, user: UserId) -> Vec<String> {
    sqlx::query_scalar("SELECT subject FROM outbox WHERE user_id = $1 ORDER BY id")
        .bind(user.0)
        .fetch_all(t.app.state.db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_report_shows_its_sign_in_and_confirming_resets_and_re_registers() {
    let t = spawn().await;
    let dana = t.create_user("dana", Role::User).await;
    let browser = new_client();
    t.sign_in_as(&browser, "dana", PASSWORD).await;
    let (_, page) = crate::history::history(&t, &browser, &[]).await;
    let event = page["rows"][0]["id"].as_i64().unwrap().to_string();
    let res = t
        .post_form(&browser, "/api/report_sign_in", &[("event_id", &event)])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let root = admin(&t).await;

    let view = queue(&t, &root).await;
    let open = view["open"].as_array().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["username"], "dana");
    assert!(open[0]["how"].as_str().unwrap().starts_with("My sign-ins"));
    assert!(
        open[0]["sign_in"].as_str().unwrap().contains("Portal"),
        "{}",
        open[0]
    );
    let report = open[0]["id"].as_i64().unwrap();

    let bad = decide(
        &t,
        &root,
        report,
        &[("decision", "dismiss"), ("reset_password", "on")],
    )
    .await;
    assert_eq!(
        bad.json::<Value>().await.unwrap()["Invalid"]["field"],
        "decision"
    );
    let res = decide(
        &t,
        &root,
        report,
        &[
            ("decision", "confirm"),
            ("require_reregistration", "on"),
            ("reset_password", "on"),
            ("notes", "ticket 99: phished"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let done: Value = res.json().await.unwrap();
    let temporary = done["temporary_password"].as_str().unwrap().to_owned();
    assert_eq!(temporary.len(), 24);
    assert!(
        t.whoami(&browser).await.is_null(),
        "signed out by the reset"
    );
    // Decided once: confirming again is refused (lifting the block stays possible).
    let again = decide(&t, &root, report, &[("decision", "confirm")]).await;
    assert_eq!(error_of(again).await, "ReportAlreadyDecided");

    let view = queue(&t, &root).await;
    assert!(view["open"].as_array().unwrap().is_empty());
    assert_eq!(view["confirmed"][0]["notes"], "ticket 99: phished");
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE subject_user_id = $1 AND actor_label = 'root' ORDER BY id",
    )
    .bind(dana.0)
    .fetch_all(t.app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "fraud.confirmed",
            "mfa.reregistration_required",
            "password.reset"
        ]
    );
    assert!(
        mails_to(&t, dana)
            .await
            .contains(&"Your fraud report was looked at".to_owned())
    );
    let res = t.sign_in_as(&new_client(), "dana", &temporary).await;
    assert_eq!(res.headers()["location"], "/sign-in/new-password");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirming_keeps_prompts_blocked_and_dismissing_or_lifting_ends_the_block() {
    let t = spawn().await;
    let dana = t.create_user("dana", Role::User).await;
    let erin = t.create_user("erin", Role::User).await;
    let root = admin(&t).await;
    let state = &t.app.state;

    let dismissed = call_report(&t, erin).await;
    assert!(prompts_blocked(state, erin).await.unwrap());
    assert_eq!(
        decide(&t, &root, dismissed, &[("decision", "dismiss")])
            .await
            .status(),
        StatusCode::OK
    );
    assert!(
        !prompts_blocked(state, erin).await.unwrap(),
        "dismissed: lifted"
    );

    let confirmed = call_report(&t, dana).await;
    assert_eq!(
        decide(&t, &root, confirmed, &[("decision", "confirm")])
            .await
            .status(),
        StatusCode::OK
    );
    assert!(
        prompts_blocked(state, dana).await.unwrap(),
        "confirmed: still blocked"
    );
    // Ten admins lift it at once: one decision lands.
    let answers =
        join_all((0..10).map(|_| decide(&t, &root, confirmed, &[("decision", "dismiss")]))).await;
    let landed = answers
        .iter()
        .filter(|r| r.status() == StatusCode::OK)
        .count();
    assert_eq!(landed, 1);
    assert!(!prompts_blocked(state, dana).await.unwrap(), "lifted");
    let lifted: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE subject_user_id = $1 AND action = 'fraud.dismissed'",
    )
    .bind(dana.0)
    .fetch_one(state.db.pool())
    .await
    .unwrap();
    assert_eq!(lifted, 1);

    // The policy's block time still applies to confirmed reports.
    let later = call_report(&t, dana).await;
    decide(&t, &root, later, &[("decision", "confirm")]).await;
    t.clock.advance_secs(25 * 3600);
    assert!(
        !prompts_blocked(state, dana).await.unwrap(),
        "over after 24 h"
    );

    let user = new_client();
    t.sign_in_as(&user, "erin", PASSWORD).await;
    assert_eq!(
        t.post_form(&user, "/api/admin_fraud_queue", &[])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
