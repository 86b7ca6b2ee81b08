//! The helpdesk verifies a caller by a code sent to their phone: a text or a call
//! that reads the code out, bound to the agent who sent it, wrong and expired codes
//! refused and recorded, never usable to sign in, single use.

use crate::helpers::{PASSWORD, TestApp, new_client};
use crate::phone_helpers::{
    MOBILE_E164, code_in, newest_id, newest_message, spawn_dev, user_with_phone, verify_phone_code,
};
use crate::totp_helpers::{error_of, invalid_message, password_step};
use app::domain::Role;
use app::store::UserId;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

async fn signed_in_agent(t: &TestApp, username: &str) -> Client {
    t.create_user(username, Role::Helpdesk).await;
    let client = new_client();
    t.sign_in_as(&client, username, PASSWORD).await;
    client
}

async fn phone_of(t: &TestApp, agent: &Client, user: UserId) -> Value {
    let id = user.0.to_string();
    let res = t
        .post_form(agent, "/api/helpdesk_person", &[("user_id", &id)])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let person: Value = res.json().await.unwrap();
    person["phones"][0].clone()
}

/// Sends a code by `channel`; returns the challenge id and the code that arrived.
async fn send(t: &TestApp, agent: &Client, user: UserId, channel: &str) -> (String, String) {
    let method = phone_of(t, agent, user).await["method_id"].to_string();
    let before = newest_id(t).await;
    let id = user.0.to_string();
    let res = t
        .post_form(
            agent,
            "/api/helpdesk_send_caller_code",
            &[
                ("user_id", &id),
                ("phone_method_id", &method),
                ("channel", channel),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let challenge: Value = res.json().await.unwrap();
    let shown = challenge["number"].as_str().unwrap();
    assert!(!shown.contains("12345678"), "the agent sees {shown}");
    let kind = if channel == "sms" { "sms" } else { "call" };
    let message = newest_message(t, kind, MOBILE_E164, before).await;
    if channel == "sms" {
        assert!(
            message.body.contains("helpdesk agent you called"),
            "{}",
            message.body
        );
    }
    (
        challenge["challenge_id"].to_string(),
        code_in(&message.body),
    )
}

async fn check(t: &TestApp, agent: &Client, user: UserId, challenge: &str, code: &str) -> Response {
    let id = user.0.to_string();
    t.post_form(
        agent,
        "/api/helpdesk_check_caller_code",
        &[
            ("user_id", &id),
            ("challenge_id", challenge),
            ("code", code),
        ],
    )
    .await
}

async fn audit_of(t: &TestApp, user: UserId) -> Vec<(String, String)> {
    app::store::testing::audit::entries_for(&t.app.state.db, user)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_is_verified_by_a_texted_code_that_cannot_sign_in_or_be_used_twice() {
    let t = spawn_dev().await;
    let dana = user_with_phone(&t, "dana").await;
    let agent = signed_in_agent(&t, "agent").await;
    let (challenge, code) = send(&t, &agent, dana, "sms").await;

    // The code is for the agent only: not for dana's own sign-in, not for a
    // colleague's check.
    let browser = new_client();
    password_step(&t, &browser, "dana").await;
    let res = verify_phone_code(&t, &browser, &challenge, &code, "sign_in").await;
    assert_eq!(error_of(res).await, "PhoneChallengeOver");
    let res = verify_phone_code(&t, &browser, &challenge, &code, "helpdesk").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let colleague = signed_in_agent(&t, "agent2").await;
    let res = check(&t, &colleague, dana, &challenge, &code).await;
    assert_eq!(error_of(res).await, "PhoneChallengeOver");

    let res = check(&t, &agent, dana, &challenge, "000000").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(invalid_message(res).await.contains("122"));
    let res = check(&t, &agent, dana, &challenge, &code).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let res = check(&t, &agent, dana, &challenge, &code).await;
    assert_eq!(error_of(res).await, "PhoneChallengeOver", "single use");

    let id = dana.0.to_string();
    let res = t
        .post_form(&agent, "/api/helpdesk_person", &[("user_id", &id)])
        .await;
    let person: Value = res.json().await.unwrap();
    let how = person["verified"]["how"].as_str().unwrap();
    assert_eq!(how, "a text to \u{201c}Mobile phone\u{201d}");
    let audit = audit_of(&t, dana).await;
    let helpdesk: Vec<&str> = audit
        .iter()
        .map(|(action, _)| action.as_str())
        .filter(|action| action.starts_with("caller."))
        .collect();
    assert_eq!(
        helpdesk,
        ["caller.code_sent", "caller.not_verified", "caller.verified"]
    );
    assert!(
        audit
            .iter()
            .any(|(_, detail)| detail.contains("19 Text Message Authenticated"))
    );
    let logged = audit.iter().any(|(action, detail)| {
        action.starts_with("caller.") && (detail.contains(&code) || detail.contains("12345678"))
    });
    assert!(
        !logged,
        "the helpdesk's entries name no code or number: {audit:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_texted_code_expires_and_a_call_reads_a_code_out() {
    let t = spawn_dev().await;
    let dana = user_with_phone(&t, "dana").await;
    let agent = signed_in_agent(&t, "agent").await;
    let (challenge, code) = send(&t, &agent, dana, "sms").await;
    t.clock.advance_secs(10 * 60 + 1);
    let res = check(&t, &agent, dana, &challenge, &code).await;
    assert_eq!(error_of(res).await, "PhoneCodeExpired");

    let (challenge, code) = send(&t, &agent, dana, "voice").await;
    let res = check(&t, &agent, dana, &challenge, &code).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let verified: Value = res.json().await.unwrap();
    assert!(verified["until"].is_string());
    let audit = audit_of(&t, dana).await;
    assert!(
        audit
            .iter()
            .any(|(action, detail)| action == "caller.verified" && detail.contains("a call to"))
    );
}
