use crate::helpers::{PASSWORD, new_client, spawn, spawn_with, test_config};
use app::domain::Role;
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use std::sync::Arc;

fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

/// What `current_user` answers to a request carrying only `cookie` (`null`: nobody).
async fn who_with_cookie(t: &crate::helpers::TestApp, cookie: String) -> String {
    new_client()
        .post(t.url("/api/current_user"))
        .headers(t.same_origin())
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The "Where you're signed in" list Security info shows `client`.
async fn sessions_listed(
    t: &crate::helpers::TestApp,
    client: &reqwest::Client,
) -> Vec<serde_json::Value> {
    let info: serde_json::Value = t
        .post_form(client, "/api/security_info", &[])
        .await
        .json()
        .await
        .unwrap();
    info["sessions"].as_array().unwrap().clone()
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

    assert_eq!(who_with_cookie(&t, first_cookie).await, "null");
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

    assert_eq!(who_with_cookie(&t, cookie).await, "null");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_ends_every_other_session_and_keeps_this_one() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    let other = new_client();
    t.sign_in_as(&other, "alice", PASSWORD).await;
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let res = t
        .post_form(
            &t.client,
            "/api/change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new passphrase 7"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    assert!(
        t.session_cookie(&res).is_some(),
        "the changing session continues under a new id"
    );
    assert_eq!(t.whoami(&t.client).await["username"], "alice");
    assert!(
        t.whoami(&other).await.is_null(),
        "the other session is over"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirming_identity_rotates_the_session_id() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    let signed_in = t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let before = cookie_pair(&t.session_cookie(&signed_in).unwrap());
    let res = t
        .post_form(
            &t.client,
            "/api/confirm_identity",
            &[("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let after = cookie_pair(&t.session_cookie(&res).expect("a new session cookie"));
    assert_ne!(before, after);
    assert_eq!(
        who_with_cookie(&t, before).await,
        "null",
        "the old id is dead"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_info_lists_where_one_is_signed_in_and_signs_out_everywhere_else() {
    let t = spawn().await;
    let alice = t.create_user("alice", Role::User).await;
    let phone = new_client();
    phone
        .post(t.url("/api/sign_in"))
        .headers(t.same_origin())
        .header("user-agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
        .form(&[("username", "alice"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let sessions = sessions_listed(&t, &t.client).await;
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    assert_eq!(sessions[0]["this_browser"], true);
    assert_eq!(sessions[1]["this_browser"], false);
    assert!(
        sessions[1]["device"].as_str().unwrap().contains("Safari"),
        "{sessions:?}"
    );
    assert_eq!(sessions[1]["ip"], "127.0.0.1");

    let res = t
        .post_form(&t.client, "/api/sign_out_everywhere", &[])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(t.whoami(&phone).await.is_null(), "the phone is signed out");
    assert_eq!(t.whoami(&t.client).await["username"], "alice");
    assert_eq!(sessions_listed(&t, &t.client).await.len(), 1);
    let audit = app::store::testing::audit::actions_for(&t.app.state.db, alice)
        .await
        .unwrap();
    assert!(audit.contains(&"sessions.signed_out_elsewhere".to_owned()));

    let res = t.post_form(&t.client, "/api/sign_out", &[]).await;
    assert!(res.status().is_success() || res.status().is_redirection());
    t.sign_in_as(&phone, "alice", PASSWORD).await;
    assert_eq!(
        sessions_listed(&t, &phone).await.len(),
        1,
        "a signed-out session is not listed"
    );
}
