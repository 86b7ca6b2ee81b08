use crate::helpers::{PASSWORD, new_client, spawn, spawn_with, test_config};
use app::domain::Role;
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use std::sync::Arc;

fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_id_changes_at_every_sign_in_and_the_old_one_dies() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    let first = t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let first_cookie = cookie_pair(&t.session_cookie(&first).expect("a session cookie"));
    let second = t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let second_cookie = cookie_pair(&t.session_cookie(&second).expect("a new session cookie"));
    assert_ne!(first_cookie, second_cookie);

    let replay = new_client();
    let res = replay
        .post(t.url("/api/current_user"))
        .headers(t.same_origin())
        .header(COOKIE, first_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), "null");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_cookie_is_http_only_and_same_site_lax() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    let res = t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let cookie = t.session_cookie(&res).unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http must not set Secure: {cookie}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_https_the_cookie_is_secure_and_host_prefixed() {
    let t = spawn_with(|c| c.public_url = "https://mfa.example.com".parse().unwrap()).await;
    t.create_user("alice", Role::User).await;
    let res = t
        .client
        .post(t.url("/api/sign_in"))
        .header("origin", "https://mfa.example.com")
        .form(&[("username", "alice"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = t.session_cookie(&res).expect("a session cookie");
    assert!(cookie.starts_with("__Host-mfa_session="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_deletes_the_session_on_the_server() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    let res = t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let cookie = cookie_pair(&t.session_cookie(&res).unwrap());
    t.post_form(&t.client, "/api/sign_out", &[]).await;
    assert!(t.whoami(&t.client).await.is_null());

    let replay = new_client();
    let res = replay
        .post(t.url("/api/current_user"))
        .headers(t.same_origin())
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), "null");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_survives_a_server_restart() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let t = t.restart().await;
    assert_eq!(t.whoami(&t.client).await["username"], "alice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_database_share_sessions() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let config = test_config(t.config.database_url.clone());
    let other = server::startup::build_with_clock(config, Arc::new(t.clock.clone()))
        .await
        .unwrap();
    let res = t
        .client
        .post(format!("{}/api/current_user", other.url()))
        .header("origin", other.url())
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["username"], "alice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_session_expires_after_the_configured_minutes() {
    let t = spawn_with(|c| c.session_idle_minutes = 30).await;
    t.create_user("alice", Role::User).await;
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    t.clock.advance_secs(29 * 60);
    assert_eq!(
        t.whoami(&t.client).await["username"],
        "alice",
        "activity within the idle time keeps it"
    );
    t.clock.advance_secs(29 * 60);
    assert_eq!(t.whoami(&t.client).await["username"], "alice");
    t.clock.advance_secs(31 * 60);
    assert!(t.whoami(&t.client).await.is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_active_session_still_ends_at_the_absolute_limit() {
    let t = spawn_with(|c| {
        c.session_idle_minutes = 30;
        c.session_absolute_hours = 2;
    })
    .await;
    t.create_user("alice", Role::User).await;
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    for _ in 0..5 {
        t.clock.advance_secs(20 * 60);
        assert_eq!(t.whoami(&t.client).await["username"], "alice");
    }
    t.clock.advance_secs(21 * 60);
    assert!(t.whoami(&t.client).await.is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_page_sends_people_who_are_not_signed_in_to_sign_in() {
    let t = spawn().await;
    let res = t.get(&t.client, "/account").await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers()["location"], "/sign-in?next=/account");
}
