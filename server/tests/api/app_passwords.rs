use crate::helpers::{PASSWORD, TestApp, new_client, spawn, spawn_with};
use crate::totp_helpers::{error_of, invalid_message};
use app::domain::{ResultCode, Role};
use app::store::testing::{outbox, sign_in_events};
use reqwest::StatusCode;

/// Signs alice in (no method yet, so the password counts as a fresh verification)
/// and creates an app password named `name`; returns its id and text.
async fn create(t: &TestApp, name: &str) -> (i64, String) {
    let res = t
        .post_form(&t.client, "/api/create_app_password", &[("name", name)])
        .await;
    assert_eq!(res.status(), StatusCode::OK, "create");
    let body: serde_json::Value = res.json().await.unwrap();
    (
        body["id"].as_i64().unwrap(),
        body["password"].as_str().unwrap().to_owned(),
    )
}

async fn alice(t: &TestApp) -> app::store::UserId {
    let id = t.create_user("alice", Role::User).await;
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    id
}

async fn verify(t: &TestApp, username: &str, password: &str) -> StatusCode {
    new_client()
        .post(t.url("/api/v1/app-password/verify"))
        .basic_auth(username, Some(password))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_password_is_shown_once_and_works_only_at_the_api() {
    let t = spawn().await;
    let user = alice(&t).await;
    let (_, password) = create(&t, "Outlook on laptop").await;
    assert_eq!(password.len(), 31, "4 groups of 7 and 3 dashes: {password}");
    let listed = t
        .post_form(&t.client, "/api/app_passwords", &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        listed.contains("Outlook on laptop") && !listed.contains(&password),
        "shown once: {listed}"
    );
    let stored: String = sqlx::query_scalar("SELECT secret_mac FROM app_passwords")
        .fetch_one(t.app.state.db.pool())
        .await
        .unwrap();
    assert!(!stored.contains(&password));

    assert_eq!(verify(&t, "alice", &password).await, StatusCode::OK);
    assert_eq!(
        verify(&t, "ALICE", &password.to_uppercase().replace('-', " ")).await,
        StatusCode::OK,
        "typed loosely"
    );
    let events = sign_in_events::latest(&t.app.state.db, 1).await.unwrap();
    assert_eq!(
        (events[0].auth_type.as_str(), events[0].app_name.as_str()),
        ("app password", "Outlook on laptop")
    );
    assert_eq!(
        events[0].result_code,
        ResultCode::AppPasswordAccepted.code()
    );
    let listed = t
        .post_form(&t.client, "/api/app_passwords", &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        listed.contains("from 127.0.0.1"),
        "last use recorded: {listed}"
    );

    assert_eq!(
        verify(&t, "alice", "wrongpw-wrongpw-wrongpw-wrongpw").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in_events::latest(&t.app.state.db, 1).await.unwrap()[0].result_code,
        ResultCode::AppPasswordIncorrect.code()
    );
    let portal = t.sign_in_as(&new_client(), "alice", &password).await;
    assert_eq!(
        portal.status(),
        StatusCode::UNAUTHORIZED,
        "never opens the portal"
    );
    assert_eq!(
        outbox::subjects_for(&t.app.state.db, user).await.unwrap(),
        ["A new app password was created"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_one_or_changing_the_password_ends_app_passwords() {
    let t = spawn().await;
    alice(&t).await;
    let (first, first_pw) = create(&t, "Mail").await;
    let (_, second_pw) = create(&t, "Calendar").await;
    let id = first.to_string();
    assert_eq!(
        t.post_form(&t.client, "/api/revoke_app_password", &[("id", &id)])
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        verify(&t, "alice", &first_pw).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(verify(&t, "alice", &second_pw).await, StatusCode::OK);
    let change = [
        ("current_password", PASSWORD),
        ("new_password", "another long passphrase"),
    ];
    assert_eq!(
        t.post_form(&t.client, "/api/change_password", &change)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        verify(&t, "alice", &second_pw).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cap_the_policy_and_recent_verification_are_enforced() {
    let t = spawn_with(|c| c.app_passwords_max = 2).await;
    alice(&t).await;
    create(&t, "One").await;
    create(&t, "Two").await;
    let third = t
        .post_form(&t.client, "/api/create_app_password", &[("name", "Three")])
        .await;
    assert!(invalid_message(third).await.contains("already have 2"));
    t.clock.advance_secs(11 * 60);
    let stale = t
        .post_form(&t.client, "/api/create_app_password", &[("name", "Late")])
        .await;
    assert_eq!(error_of(stale).await, "ReauthenticationRequired");

    let off = spawn_with(|c| c.app_passwords_allowed = false).await;
    alice(&off).await;
    let res = off
        .post_form(&off.client, "/api/create_app_password", &[("name", "Mail")])
        .await;
    assert!(invalid_message(res).await.contains("does not allow"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_is_rate_limited_and_needs_credentials() {
    let t = spawn_with(|c| c.api_per_minute = 3).await;
    alice(&t).await;
    let (_, password) = create(&t, "Mail").await;
    let bare = new_client()
        .post(t.url("/api/v1/app-password/verify"))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), StatusCode::UNAUTHORIZED);
    assert!(bare.headers().contains_key("www-authenticate"));
    for _ in 0..3 {
        verify(&t, "alice", &password).await;
    }
    assert_eq!(
        verify(&t, "alice", &password).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_revokes_another_users_app_password() {
    let t = spawn().await;
    alice(&t).await;
    let (id, password) = create(&t, "Mail").await;
    t.create_user("mallory", Role::User).await;
    let mallory = new_client();
    t.sign_in_as(&mallory, "mallory", PASSWORD).await;
    let res = t
        .post_form(
            &mallory,
            "/api/revoke_app_password",
            &[("id", &id.to_string())],
        )
        .await;
    assert_eq!(error_of(res).await, "MethodNotFound");
    assert_eq!(verify(&t, "alice", &password).await, StatusCode::OK);
    assert_eq!(
        verify(&t, "mallory", &password).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_account_answers_the_api_like_a_wrong_password_and_an_unknown_name() {
    let t = spawn().await;
    let user = alice(&t).await;
    let (_, password) = create(&t, "Mail").await;
    t.create_user("bob", Role::User).await;
    sqlx::query("UPDATE users SET locked_until = $1 WHERE id = $2")
        .bind(t.clock_now() + 900)
        .bind(user.0)
        .execute(t.app.state.db.pool())
        .await
        .unwrap();
    let answer = |name: &'static str, secret: String| {
        let t = &t;
        async move {
            let res = new_client()
                .post(t.url("/api/v1/app-password/verify"))
                .basic_auth(name, Some(secret))
                .send()
                .await
                .unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    let locked = answer("alice", password).await;
    let wrong = answer("bob", "abcd-efgh-ijkl-mnop".to_owned()).await;
    let unknown = answer("nobody", "abcd-efgh-ijkl-mnop".to_owned()).await;
    assert_eq!(locked.0, StatusCode::UNAUTHORIZED);
    assert_eq!(locked, wrong);
    assert_eq!(wrong, unknown);
}
