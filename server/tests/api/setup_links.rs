//! E-mailed set-up links: an admin creates a person (or sends a link later), the
//! e-mail arrives at a real SMTP server, the person chooses a password from it and
//! signs in; the link works once (also under a burst), a newer link replaces it, it
//! expires by the clock, and its token is never stored or left in the outbox.

use crate::helpers::{PASSWORD, TestApp, new_client};
use crate::smtp_server::{SmtpServer, readable, spawn_mailing_to};
use app::domain::Role;
use app::store::UserId;
use futures_util::future::join_all;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use std::time::{Duration, Instant};

async fn with_mail() -> (SmtpServer, TestApp) {
    let smtp = SmtpServer::start();
    let t = spawn_mailing_to(&smtp, |_| {}).await;
    (smtp, t)
}

async fn admin(t: &TestApp) -> Client {
    t.create_user("root", Role::Admin).await;
    let client = new_client();
    t.sign_in_as(&client, "root", PASSWORD).await;
    client
}

async fn create_with_link(t: &TestApp, admin: &Client) -> (UserId, Value) {
    let res = t
        .post_form(
            admin,
            "/api/admin_create_person",
            &[
                ("username", "erin"),
                ("display_name", "Erin Example"),
                ("email", "erin@example.com"),
                ("role", "user"),
                ("mfa_state", "enabled"),
                ("first_password", "email"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let created: Value = res.json().await.unwrap();
    (UserId(created["id"].as_i64().unwrap()), created)
}

/// The token of the newest set-up link e-mail among the first `count` arrived.
async fn token_in_mail(smtp: &SmtpServer, count: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let mut tokens: Vec<String> = smtp
            .wait_for(count)
            .await
            .iter()
            .filter(|m| m.contains("Subject: Set up your MFA Portal account"))
            .filter_map(|m| token_of(&readable(m)))
            .collect();
        if tokens.len() >= count || Instant::now() > deadline {
            assert!(!tokens.is_empty(), "no set-up link arrived");
            tokens.sort();
            return tokens.pop().unwrap_or_default();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The token in a set-up link e-mail.
fn token_of(mail: &str) -> Option<String> {
    let start = mail.find("/set-up?token=")? + "/set-up?token=".len();
    Some(
        mail[start..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect(),
    )
}

async fn set_password(t: &TestApp, client: &Client, token: &str, password: &str) -> Response {
    t.post_form(
        client,
        "/api/set_up_password",
        &[("token", token), ("new_password", password)],
    )
    .await
}

async fn actions(t: &TestApp, user: UserId) -> Vec<String> {
    app::store::testing::audit::actions_for(&t.app.state.db, user)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_created_person_chooses_a_password_from_the_emailed_link_and_signs_in() {
    let (smtp, t) = with_mail().await;
    let root = admin(&t).await;
    let (erin, created) = create_with_link(&t, &root).await;
    assert_eq!(created["first_password"], Value::Null, "no password shown");
    assert_eq!(created["setup_link"]["email"], "erin@example.com");
    let token = token_in_mail(&smtp, 1).await;
    assert_eq!(token.len(), 27, "{token}");

    // Until the link is used, no password signs erin in.
    let browser = new_client();
    let res = t.sign_in_as(&browser, "erin", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let page = t.get(&browser, &format!("/set-up?token={token}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Welcome, Erin Example"));

    let res = set_password(&t, &browser, &token, "password").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "new_password");
    let res = set_password(&t, &browser, &token, "erin's own long phrase").await;
    assert!(res.status().is_success() || res.status().is_redirection());
    assert_eq!(res.headers()["location"], "/set-up/done");

    let res = t
        .sign_in_as(&browser, "erin", "erin's own long phrase")
        .await;
    assert_eq!(
        res.headers()["location"],
        "/sign-in/register",
        "enabled without a method: registration comes next, no temporary password"
    );
    let res = set_password(&t, &new_client(), &token, "another long phrase").await;
    assert_eq!(res.status(), StatusCode::GONE, "the link works once");
    let page = t
        .get(&new_client(), &format!("/set-up?token={token}"))
        .await;
    assert!(page.text().await.unwrap().contains("no longer works"));

    assert_eq!(
        actions(&t, erin).await,
        [
            "user.created",
            "user.setup_link_sent",
            "password.set_by_link"
        ]
    );
    // The token is stored nowhere: not in the links table, not in the outbox once
    // the e-mail went (its body was sealed, then blanked).
    let macs: Vec<String> = sqlx::query_scalar("SELECT token_mac FROM setup_links")
        .fetch_all(t.app.state.db.pool())
        .await
        .unwrap();
    assert!(macs.iter().all(|mac| mac != &token));
    let bodies: Vec<(String, i64)> =
        sqlx::query_as("SELECT body, sealed FROM outbox WHERE subject LIKE 'Set up%'")
            .fetch_all(t.app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0].1, 1, "sealed");
    assert!(!bodies[0].0.contains(&token));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_link_replaces_the_older_one_and_links_expire() {
    let (smtp, t) = with_mail().await;
    let root = admin(&t).await;
    let (erin, _) = create_with_link(&t, &root).await;
    let first = token_in_mail(&smtp, 1).await;
    let id = erin.0.to_string();
    let res = t
        .post_form(&root, "/api/admin_send_setup_link", &[("user_id", &id)])
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let mails = smtp.wait_for(2).await;
    let second = mails
        .iter()
        .filter_map(|m| token_of(&readable(m)))
        .find(|token| token != &first)
        .expect("a second link");
    let browser = new_client();
    let res = set_password(&t, &browser, &first, "erin's own long phrase").await;
    assert_eq!(res.status(), StatusCode::GONE, "replaced");

    let res = t
        .post_form(&root, "/api/admin_send_setup_link", &[("user_id", "99999")])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    t.clock.advance_secs(72 * 3600 + 1);
    let res = set_password(&t, &browser, &second, "erin's own long phrase").await;
    assert_eq!(res.status(), StatusCode::GONE, "expired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_sets_one_password_however_many_browsers_try_at_once() {
    let (smtp, t) = with_mail().await;
    let root = admin(&t).await;
    create_with_link(&t, &root).await;
    let token = token_in_mail(&smtp, 1).await;
    let attempts = (0..12).map(|i| {
        let (t, token) = (&t, &token);
        async move {
            let password = format!("erin's phrase number {i}");
            let res = set_password(t, &new_client(), token, &password).await;
            (res.status(), password)
        }
    });
    let answers = join_all(attempts).await;
    let winners: Vec<&String> = answers
        .iter()
        .filter(|(status, _)| {
            assert!(
                *status == StatusCode::GONE || status.is_redirection() || status.is_success(),
                "{answers:?}"
            );
            *status != StatusCode::GONE
        })
        .map(|(_, password)| password)
        .collect();
    assert_eq!(winners.len(), 1, "{answers:?}");
    let res = t.sign_in_as(&new_client(), "erin", winners[0]).await;
    assert_eq!(res.headers()["location"], "/sign-in/register");
}
