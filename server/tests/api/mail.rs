use crate::helpers::{TestApp, spawn_with};
use crate::smtp_server::{SmtpServer, free_port};
use crate::totp_helpers::user_with_app;
use app::providers::mail::{SmtpMailer, SmtpSettings, SmtpTls};
use app::services::outbox_delivery::deliver_due;
use app::store::testing::outbox;
use std::time::{Duration, Instant};

fn mailer(port: u16) -> SmtpMailer {
    SmtpMailer::new(SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        tls: SmtpTls::None,
        username: None,
        password: None,
        from: "MFA Portal <mfa@example.com>".into(),
    })
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_delivers_a_method_added_notice_without_secrets() {
    let smtp = SmtpServer::start();
    let t = spawn_with(|c| {
        c.smtp_host = Some("127.0.0.1".into());
        c.smtp_port = smtp.port;
        c.smtp_tls = SmtpTls::None;
        c.outbox_poll_seconds = 1;
        c.mail_from = "MFA Portal <mfa@example.com>".into();
    })
    .await;
    let (alice, app) = user_with_app(&t, "alice").await;
    let messages = smtp.wait_for(1).await;
    assert_eq!(messages.len(), 1, "one notice arrived");
    let message = &messages[0];
    assert!(message.contains("To: alice@example.com"), "{message}");
    assert!(
        message.contains("Subject: A sign-in method was added to your account"),
        "{message}"
    );
    assert!(
        message.contains("From: \"MFA Portal\" <mfa@example.com>"),
        "{message}"
    );
    let seed = data_encoding::BASE32_NOPAD.encode(&app.secret);
    assert!(!message.contains(&seed), "the seed never travels by mail");
    let id: i64 = sqlx::query_scalar("SELECT id FROM outbox WHERE user_id = $1")
        .bind(alice.0)
        .fetch_one(t.app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(settled_status(&t, id).await, ("sent".to_owned(), 1));
}

/// The outbox row's state and attempts once the worker has settled it. The SMTP
/// server holds the message before the worker writes "sent", so a message having
/// arrived does not mean the row says so yet (15 s at most).
async fn settled_status(t: &TestApp, id: i64) -> (String, i64) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let status = outbox::status_of(&t.app.state.db, id).await.unwrap();
        if status.0 != "pending" || Instant::now() > deadline {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_delays_mail_and_loses_none() {
    let t = spawn_with(|_| {}).await;
    let (alice, _) = user_with_app(&t, "alice").await;
    let port = free_port();
    let down = mailer(port);
    let report = deliver_due(&t.app.state, &down, 8, 10).await.unwrap();
    assert_eq!((report.sent, report.retrying), (0, 1));
    let smtp = SmtpServer::start_on(port);
    let early = deliver_due(&t.app.state, &down, 8, 10).await.unwrap();
    assert_eq!(early.sent, 0, "not due again before the back-off");
    t.clock.advance_secs(31);
    let report = deliver_due(&t.app.state, &down, 8, 10).await.unwrap();
    assert_eq!(report.sent, 1);
    assert_eq!(smtp.wait_for(1).await.len(), 1);
    let subjects = outbox::subjects_for(&t.app.state.db, alice).await.unwrap();
    assert_eq!(subjects.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_that_keeps_failing_ends_as_a_dead_letter() {
    let t = spawn_with(|_| {}).await;
    user_with_app(&t, "alice").await;
    let down = mailer(free_port());
    deliver_due(&t.app.state, &down, 2, 10).await.unwrap();
    t.clock.advance_secs(60);
    let report = deliver_due(&t.app.state, &down, 2, 10).await.unwrap();
    assert_eq!(report.dead, 1);
    let (status, attempts): (String, i64) = sqlx::query_as("SELECT status, attempts FROM outbox")
        .fetch_one(t.app.state.db.pool())
        .await
        .unwrap();
    assert_eq!((status.as_str(), attempts), ("failed", 2));
    t.clock.advance_secs(7200);
    let later = deliver_due(&t.app.state, &down, 2, 10).await.unwrap();
    assert_eq!(later, Default::default(), "a dead letter is not retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_never_send_one_message_twice() {
    let smtp = SmtpServer::start();
    let t = spawn_with(|_| {}).await;
    for name in ["alice", "bob", "carol"] {
        let client = crate::helpers::new_client();
        t.create_user(name, app::domain::Role::User).await;
        crate::totp_helpers::password_step(&t, &client, name).await;
        crate::totp_helpers::enrol(&t, &client, "Phone").await;
    }
    let (a, b) = (mailer(smtp.port), mailer(smtp.port));
    let (ra, rb) = tokio::join!(
        deliver_due(&t.app.state, &a, 8, 10),
        deliver_due(&t.app.state, &b, 8, 10)
    );
    assert_eq!(ra.unwrap().sent + rb.unwrap().sent, 3);
    assert_eq!(smtp.wait_for(3).await.len(), 3);
}
