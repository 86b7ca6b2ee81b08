//! What an admin changes on a person's page: each change audited, each needing the
//! admin's recent verification.

use crate::helpers::{PASSWORD, TestApp, new_client, spawn};
use app::domain::{MfaState, Role};
use app::store::users;
use futures_util::future::join_all;
use reqwest::{Client, StatusCode};
use serde_json::Value;

async fn signed_in(t: &TestApp, username: &str, role: Role) -> Client {
    t.create_user(username, role).await;
    let client = new_client();
    t.sign_in_as(&client, username, PASSWORD).await;
    client
}

async fn set_state(t: &TestApp, client: &Client, user: i64, state: &str) -> reqwest::Response {
    let id = user.to_string();
    t.post_form(
        client,
        "/api/admin_set_mfa_state",
        &[("user_id", &id), ("mfa_state", state)],
    )
    .await
}

async fn state_of(t: &TestApp, user: app::store::UserId) -> MfaState {
    users::find_by_id(&t.app.state.db, user)
        .await
        .unwrap()
        .unwrap()
        .mfa_state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sets_the_mfa_state_and_the_log_says_who_from_what_to_what() {
    let t = spawn().await;
    let dana = t.create_user("dana", Role::User).await;
    let admin = signed_in(&t, "root", Role::Admin).await;

    let res = set_state(&t, &admin, dana.0, "enforced").await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    assert_eq!(state_of(&t, dana).await, MfaState::Enforced);
    // The same state again changes and records nothing.
    assert_eq!(
        set_state(&t, &admin, dana.0, "enforced").await.status(),
        StatusCode::OK
    );

    let id = dana.0.to_string();
    let person: Value = t
        .post_form(&admin, "/api/admin_person", &[("user_id", &id)])
        .await
        .json()
        .await
        .unwrap();
    let changes: Vec<(&str, &str)> = person["audit"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "MFA state changed")
        .map(|e| (e["actor"].as_str().unwrap(), e["detail"].as_str().unwrap()))
        .collect();
    assert_eq!(changes, [("root", "MFA state disabled -> enforced")]);
    assert_eq!(person["mfa_state"], "enforced");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_verification_unknown_person_or_state_and_other_roles_are_refused() {
    let t = spawn().await;
    let dana = t.create_user("dana", Role::User).await;
    let admin = signed_in(&t, "root", Role::Admin).await;

    let bad = set_state(&t, &admin, dana.0, "sometimes").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "mfa_state");
    assert_eq!(
        set_state(&t, &admin, 999_999, "enforced").await.status(),
        StatusCode::NOT_FOUND
    );

    for role in [Role::User, Role::Helpdesk] {
        let other = signed_in(&t, &format!("{}-person", role.as_str()), role).await;
        let res = set_state(&t, &other, dana.0, "disabled").await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{role:?}");
    }

    // Ten minutes after the admin's sign-in, the step-up is due again.
    t.clock.advance_secs(11 * 60);
    let stale = set_state(&t, &admin, dana.0, "enforced").await;
    assert_eq!(stale.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        stale.json::<Value>().await.unwrap(),
        Value::String("ReauthenticationRequired".to_owned())
    );
    assert_eq!(
        state_of(&t, dana).await,
        MfaState::Disabled,
        "nothing changed"
    );
}

/// Thirty changes at once: each answered, and the log reads as one sequence, every
/// entry's "before" being the previous entry's "after", ending at the person's state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_changes_leave_a_log_whose_entries_follow_each_other() {
    let t = spawn().await;
    let dana = t.create_user("dana", Role::User).await;
    let admin = signed_in(&t, "root", Role::Admin).await;
    let states = ["enforced", "disabled", "enabled"];
    let answers = join_all((0..30).map(|n| set_state(&t, &admin, dana.0, states[n % 3]))).await;
    for answer in answers {
        assert_eq!(answer.status(), StatusCode::OK);
    }
    let details: Vec<String> = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE subject_user_id = $1 AND action = 'user.mfa_state' \
         ORDER BY id",
    )
    .bind(dana.0)
    .fetch_all(t.app.state.db.pool())
    .await
    .unwrap();
    assert!(!details.is_empty());
    let mut current = "disabled".to_owned();
    for detail in &details {
        let (before, after) = detail
            .strip_prefix("MFA state ")
            .and_then(|change| change.split_once(" -> "))
            .unwrap();
        assert_eq!(before, current, "{details:#?}");
        assert_ne!(before, after);
        current = after.to_owned();
    }
    assert_eq!(state_of(&t, dana).await.as_str(), current);
}
