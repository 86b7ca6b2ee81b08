//! The admin section's directory: searching people and one person's page.

use crate::helpers::{PASSWORD, TestApp, new_client, spawn};
use crate::totp_helpers::user_with_app;
use app::domain::Role;
use reqwest::{Client, StatusCode};
use serde_json::Value;

async fn admin_client(t: &TestApp) -> Client {
    t.create_user("root", Role::Admin).await;
    let client = new_client();
    t.sign_in_as(&client, "root", PASSWORD).await;
    client
}

/// The usernames of one page of results, and its cursor.
async fn search(t: &TestApp, client: &Client, form: &[(&str, &str)]) -> (Vec<String>, Value) {
    let res = t.post_form(client, "/api/admin_directory", form).await;
    assert_eq!(res.status(), StatusCode::OK, "{form:?}");
    let body: Value = res.json().await.unwrap();
    let names = body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["username"].as_str().unwrap().to_owned())
        .collect();
    (names, body["next"].clone())
}

async fn execute(t: &TestApp, sql: &str, username: &str) {
    sqlx::query(sql)
        .bind(username)
        .execute(t.app.state.db.pool())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_are_found_by_part_of_a_name_username_or_address_and_filtered() {
    let t = spawn().await;
    let client = admin_client(&t).await;
    t.create_user("kim", Role::User).await;
    t.create_user("kimberly", Role::Helpdesk).await;
    t.create_user("bob", Role::User).await;
    t.create_user("alice", Role::User).await;
    user_with_app(&t, "carol").await;
    execute(
        &t,
        "UPDATE users SET display_name = 'Robert Kimball' WHERE username = $1",
        "bob",
    )
    .await;
    execute(
        &t,
        "UPDATE users SET mfa_state = 'enforced' WHERE username = $1",
        "alice",
    )
    .await;
    let far_future = t.clock_now() + 3_600;
    sqlx::query("UPDATE users SET locked_until = $1 WHERE username = 'kim'")
        .bind(far_future)
        .execute(t.app.state.db.pool())
        .await
        .unwrap();
    execute(
        &t,
        "UPDATE users SET blocked_at = 1 WHERE username = $1",
        "kimberly",
    )
    .await;

    // Any part of the username, display name or address, whatever the case.
    assert_eq!(
        search(&t, &client, &[("q", "KIM")]).await.0,
        ["bob", "kim", "kimberly"]
    );
    assert_eq!(
        search(&t, &client, &[("q", "ice@example")]).await.0,
        ["alice"]
    );
    // A wildcard typed by the admin is only itself.
    assert!(search(&t, &client, &[("q", "%")]).await.0.is_empty());
    assert!(search(&t, &client, &[("q", "k_m")]).await.0.is_empty());

    assert_eq!(
        search(&t, &client, &[("role", "helpdesk")]).await.0,
        ["kimberly"]
    );
    assert_eq!(
        search(&t, &client, &[("mfa", "enforced")]).await.0,
        ["alice"]
    );
    assert_eq!(
        search(&t, &client, &[("status", "locked")]).await.0,
        ["kim"]
    );
    assert_eq!(
        search(&t, &client, &[("status", "blocked")]).await.0,
        ["kimberly"]
    );
    assert!(
        search(&t, &client, &[("status", "disabled")])
            .await
            .0
            .is_empty()
    );
    execute(
        &t,
        "UPDATE users SET disabled_at = 1 WHERE username = $1",
        "bob",
    )
    .await;
    assert_eq!(
        search(&t, &client, &[("status", "disabled")]).await.0,
        ["bob"]
    );
    assert_eq!(
        search(&t, &client, &[("methods", "some")]).await.0,
        ["carol"]
    );
    let (unregistered, _) = search(&t, &client, &[("methods", "none"), ("role", "user")]).await;
    assert_eq!(unregistered, ["alice", "bob", "kim"]);
    // "any" and empty values are no filter.
    let (everyone, next) = search(
        &t,
        &client,
        &[("q", ""), ("role", "any"), ("status", "any")],
    )
    .await;
    assert_eq!(everyone.len(), 6);
    assert!(next.is_null());

    // The rows say what the filters do.
    let body: Value = t
        .post_form(&client, "/api/admin_directory", &[("q", "kim")])
        .await
        .json()
        .await
        .unwrap();
    let kim = &body["rows"][1];
    assert_eq!(
        (kim["locked"].as_bool(), kim["blocked"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(kim["role"], "user");
    assert_eq!(kim["methods"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_follow_each_other_by_username_without_gaps_or_repeats() {
    let t = spawn().await;
    let client = admin_client(&t).await;
    for n in 0..30 {
        t.create_user(&format!("p{n:02}"), Role::User).await;
    }
    let users = ("role", "user");
    let (first, next) = search(&t, &client, &[users]).await;
    assert_eq!(first.len(), 25);
    assert_eq!(first[0], "p00");
    assert_eq!(next, "p24");
    let (second, last) = search(&t, &client, &[users, ("after", "p24")]).await;
    assert_eq!(second, ["p25", "p26", "p27", "p28", "p29"]);
    assert!(last.is_null());
    // A person added meanwhile before the cursor neither shifts nor repeats the rest.
    t.create_user("p005", Role::User).await;
    let (again, _) = search(&t, &client, &[users, ("after", "p24")]).await;
    assert_eq!(again, second);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filter_that_names_nothing_is_refused_next_to_it() {
    let t = spawn().await;
    let client = admin_client(&t).await;
    for (field, value) in [("role", "root"), ("mfa", "maybe"), ("status", "asleep")] {
        let res = t
            .post_form(&client, "/api/admin_directory", &[(field, value)])
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{field}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["Invalid"]["field"], field, "{body}");
    }
    // The page shows it beside the filter, not as a failure of the page.
    let html = t
        .get(&client, "/admin/users?role=root")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Choose one of the listed roles."), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_persons_page_shows_their_methods_sign_ins_and_audit_but_no_secret() {
    let t = spawn().await;
    let (carol, app) = user_with_app(&t, "carol").await;
    let client = admin_client(&t).await;
    let id = carol.0.to_string();
    let res = t
        .post_form(&client, "/api/admin_person", &[("user_id", &id)])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["username"], "carol");
    assert_eq!(body["methods"][0]["name"], "Phone");
    assert_eq!(body["methods"][0]["id"], app.method_id);
    assert!(!body["sign_ins"].as_array().unwrap().is_empty());
    let actions: Vec<&str> = body["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"Method added"), "{actions:?}");
    assert!(actions.contains(&"Account created"), "{actions:?}");
    for secret in ["argon2", "password_hash", "secret"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }

    let html = t
        .get(&client, &format!("/admin/users/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Test carol") && html.contains("Method added"),
        "{html}"
    );

    let missing = t
        .post_form(&client, "/api/admin_person", &[("user_id", "999999")])
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_reach_the_directory() {
    let t = spawn().await;
    let target = t.create_user("target", Role::User).await.0.to_string();
    for role in [Role::User, Role::Helpdesk] {
        let username = format!("{}-person", role.as_str());
        t.create_user(&username, role).await;
        let client = new_client();
        t.sign_in_as(&client, &username, PASSWORD).await;
        for (function, form) in [
            ("/api/admin_directory", vec![("q", "t")]),
            ("/api/admin_person", vec![("user_id", target.as_str())]),
        ] {
            let status = t.post_form(&client, function, &form).await.status();
            assert_eq!(status, StatusCode::FORBIDDEN, "{function} as {role:?}");
        }
        for page in ["/admin/users", &format!("/admin/users/{target}")] {
            let status = t.get(&client, page).await.status();
            assert_eq!(status, StatusCode::FORBIDDEN, "{page} as {role:?}");
        }
    }
}
