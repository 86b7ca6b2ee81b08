//! The helpdesk: search and a person's status, verifying a caller by a code (good,
//! wrong, replayed, expired, counted under parallel attempts), unlocking, and
//! temporary access passes (issued once, signs in once, leads to registering,
//! expires by the clock), with the refusals for whom an agent may not help.

use crate::helpers::{PASSWORD, TEST_ACTOR, TestApp, new_client, spawn};
use crate::totp_helpers::{
    Enrolled, code_at, enrol, error_of, invalid_field, invalid_message, password_step, second_step,
    user_with_app,
};
use app::domain::{ResultCode, Role};
use app::store::UserId;
use futures_util::future::join_all;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

async fn signed_in(t: &TestApp, username: &str, role: Role) -> (UserId, Client) {
    let id = t.create_user(username, role).await;
    let client = new_client();
    t.sign_in_as(&client, username, PASSWORD).await;
    (id, client)
}

async fn verify(t: &TestApp, agent: &Client, user: UserId, method: i64, code: &str) -> Response {
    let (user, method) = (user.0.to_string(), method.to_string());
    t.post_form(
        agent,
        "/api/helpdesk_verify_caller",
        &[("user_id", &user), ("method_id", &method), ("code", code)],
    )
    .await
}

async fn issue_pass(t: &TestApp, agent: &Client, user: UserId) -> Response {
    let id = user.0.to_string();
    t.post_form(agent, "/api/helpdesk_issue_pass", &[("user_id", &id)])
        .await
}

async fn admin_issue(t: &TestApp, admin: &Client, user: UserId) -> Response {
    let id = user.0.to_string();
    t.post_form(admin, "/api/admin_issue_pass", &[("user_id", &id)])
        .await
}

async fn helpdesk_unlock(t: &TestApp, agent: &Client, user: UserId) -> Response {
    let id = user.0.to_string();
    t.post_form(agent, "/api/helpdesk_unlock", &[("user_id", &id)])
        .await
}

async fn pass_of(res: Response) -> String {
    assert_eq!(res.status(), StatusCode::OK, "issuing a pass");
    let body: Value = res.json().await.unwrap();
    body["pass"].as_str().unwrap().to_owned()
}

async fn sign_in_with_pass(t: &TestApp, client: &Client, username: &str, pass: &str) -> Response {
    t.post_form(
        client,
        "/api/sign_in_with_pass",
        &[("username", username), ("pass", pass)],
    )
    .await
}

async fn person(t: &TestApp, agent: &Client, user: UserId) -> Value {
    let id = user.0.to_string();
    let res = t
        .post_form(agent, "/api/helpdesk_person", &[("user_id", &id)])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

async fn audit_actions(t: &TestApp, user: UserId) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT actor_label, action, detail FROM audit_log WHERE subject_user_id = $1 ORDER BY id",
    )
    .bind(user.0)
    .fetch_all(t.app.state.db.pool())
    .await
    .unwrap()
}

async fn event_codes(t: &TestApp, user: UserId) -> Vec<i64> {
    sqlx::query_scalar("SELECT result_code FROM sign_in_events WHERE user_id = $1 ORDER BY id")
        .bind(user.0)
        .fetch_all(t.app.state.db.pool())
        .await
        .unwrap()
}

async fn set_policy(t: &TestApp, key: &str, value: &str) {
    app::services::portal_settings::set(
        &t.app.state.db,
        key,
        value,
        t.clock_now(),
        &TEST_ACTOR,
        None,
    )
    .await
    .unwrap()
    .unwrap();
}

/// dana with an app; the agent's browser; the app's code a step later (so the
/// enrolment's own code is not the one read out).
async fn caller_with_app(t: &TestApp) -> (UserId, Enrolled, Client) {
    let (dana, app) = user_with_app(t, "dana").await;
    let (_, agent) = signed_in(t, "agent", Role::Helpdesk).await;
    t.clock.advance_secs(30);
    (dana, app, agent)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_helpdesk_finds_a_caller_and_sees_their_status_without_secrets() {
    let t = spawn().await;
    let (dana, _app, agent) = caller_with_app(&t).await;
    let res = t
        .post_form(&agent, "/api/helpdesk_search", &[("q", "DANA")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["rows"][0]["username"], "dana");
    assert_eq!(page["rows"].as_array().unwrap().len(), 1);

    let status = person(&t, &agent, dana).await;
    assert_eq!(status["code_methods"][0]["name"], "Phone");
    assert_eq!(status["not_helpable"], Value::Null);
    assert_eq!(status["verified"], Value::Null);
    assert!(!status["sign_ins"].as_array().unwrap().is_empty());
    let text = status.to_string();
    for secret in ["secret", "sealed", "password_hash", "otpauth"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }

    // The page is for the helpdesk and admins only.
    let (_, user) = signed_in(&t, "erin", Role::User).await;
    for path in ["/api/helpdesk_search", "/api/helpdesk_person"] {
        let id = dana.0.to_string();
        let res = t.post_form(&user, path, &[("user_id", &id)]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let res = t
        .post_form(&new_client(), "/api/helpdesk_search", &[("q", "dana")])
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_is_verified_by_a_good_code_once_and_that_code_cannot_sign_in() {
    let t = spawn().await;
    let (dana, app, agent) = caller_with_app(&t).await;

    let res = verify(&t, &agent, dana, app.method_id, "000000").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let message = invalid_message(res).await;
    assert!(message.contains("138 OATH Code Incorrect"), "{message}");
    // A code the app showed two minutes ago is past the window: out of date, refused.
    let expired = code_at(&app.secret, t.clock_now(), -4);
    let res = verify(&t, &agent, dana, app.method_id, &expired).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let message = invalid_message(res).await;
    assert!(message.contains("140 OATH Code Out Of Date"), "{message}");

    let code = code_at(&app.secret, t.clock_now(), 0);
    let res = verify(&t, &agent, dana, app.method_id, &code).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    // The same code again, by the helpdesk or at sign-in: already used.
    let res = verify(&t, &agent, dana, app.method_id, &code).await;
    assert!(invalid_message(res).await.contains("139"));
    let browser = new_client();
    password_step(&t, &browser, "dana").await;
    let res = second_step(&t, &browser, app.method_id, &code, false).await;
    assert_eq!(error_of(res).await, "CodeAlreadyUsed");

    let status = person(&t, &agent, dana).await;
    assert!(status["verified"]["until"].is_string());
    let checks: Vec<bool> = status["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["verified"].as_bool().unwrap())
        .collect();
    assert_eq!(checks, [false, true, false, false], "newest first");
    let audit = audit_actions(&t, dana).await;
    let by_agent: Vec<&str> = audit
        .iter()
        .filter(|(actor, _, _)| actor == "agent")
        .map(|(_, action, _)| action.as_str())
        .collect();
    assert_eq!(
        by_agent,
        [
            "caller.not_verified",
            "caller.not_verified",
            "caller.verified",
            "caller.not_verified"
        ]
    );
    assert!(
        audit
            .iter()
            .any(|(_, _, detail)| detail.contains("23 OATH Code Verified"))
    );

    // Another agent is not verified by this agent's check; and it lasts ten minutes.
    let (_, other) = signed_in(&t, "agent2", Role::Helpdesk).await;
    assert_eq!(
        error_of(issue_pass(&t, &other, dana).await).await,
        "CallerNotVerified"
    );
    t.clock.advance_secs(10 * 60 + 1);
    let res = issue_pass(&t, &agent, dana).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_of(res).await, "CallerNotVerified");
    assert_eq!(person(&t, &agent, dana).await["verified"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_attempts_are_counted_atomically_under_a_burst() {
    let t = spawn().await;
    let (dana, app, agent) = caller_with_app(&t).await;
    let burst = (0..24).map(|i| {
        let (t, agent) = (&t, &agent);
        let code = format!("{:06}", 100_000 + i);
        async move { verify(t, agent, dana, app.method_id, &code).await.status() }
    });
    let statuses = join_all(burst).await;
    let counted = statuses
        .iter()
        .filter(|s| **s == StatusCode::BAD_REQUEST)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((counted, refused), (5, 19), "{statuses:?}");
    // Even the right code waits for the window to pass.
    let code = code_at(&app.secret, t.clock_now(), 0);
    let res = verify(&t, &agent, dana, app.method_id, &code).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    t.clock.advance_secs(15 * 60);
    let code = code_at(&app.secret, t.clock_now(), 0);
    let res = verify(&t, &agent, dana, app.method_id, &code).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_never_act_for_themselves_admins_or_other_agents() {
    let t = spawn().await;
    let (agent_id, agent) = signed_in(&t, "agent", Role::Helpdesk).await;
    let (root_id, root) = signed_in(&t, "root", Role::Admin).await;
    let colleague = t.create_user("colleague", Role::Helpdesk).await;
    for target in [agent_id, root_id, colleague] {
        let res = issue_pass(&t, &agent, target).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(error_of(res).await, "NotHelpable");
        let status = person(&t, &agent, target).await;
        assert!(status["not_helpable"].is_string());
    }
    // An admin in the helpdesk area may help an agent (after verifying them) but
    // not another admin or themselves.
    let res = issue_pass(&t, &root, colleague).await;
    assert_eq!(error_of(res).await, "CallerNotVerified");
    for target in [root_id, t.create_user("root2", Role::Admin).await] {
        assert_eq!(
            error_of(issue_pass(&t, &root, target).await).await,
            "NotHelpable"
        );
    }
    let res = issue_pass(&t, &agent, UserId(9_999)).await;
    assert_eq!(error_of(res).await, "PersonNotFound");

    // Policy: no passes from the helpdesk at all (admins still may).
    let dana = t.create_user("dana", Role::User).await;
    set_policy(&t, "pass_needs_verified_caller", "false").await;
    set_policy(&t, "helpdesk_may_issue_pass", "false").await;
    let res = issue_pass(&t, &agent, dana).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_of(res).await, "NotAllowedByPolicy");
    pass_of(issue_pass(&t, &root, dana).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_helpdesk_unlocks_a_verified_caller_as_policy_allows() {
    let t = spawn().await;
    let (dana, app, agent) = caller_with_app(&t).await;
    app::store::account_controls::lock(t.app.state.db.pool(), dana, t.clock_now())
        .await
        .unwrap();
    assert_eq!(
        error_of(helpdesk_unlock(&t, &agent, dana).await).await,
        "CallerNotVerified"
    );
    // A locked-out person can still be verified: the lockout is what they call about.
    let code = code_at(&app.secret, t.clock_now(), 0);
    assert_eq!(
        verify(&t, &agent, dana, app.method_id, &code)
            .await
            .status(),
        StatusCode::OK
    );
    let res = helpdesk_unlock(&t, &agent, dana).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.json::<bool>().await.unwrap());
    let res = helpdesk_unlock(&t, &agent, dana).await;
    assert!(!res.json::<bool>().await.unwrap(), "already unlocked");
    assert!(
        audit_actions(&t, dana)
            .await
            .iter()
            .any(|(actor, action, _)| actor == "agent" && action == "account.unlocked")
    );
    let browser = new_client();
    let res = password_step(&t, &browser, "dana").await;
    assert_eq!(res.status(), StatusCode::OK, "dana's password works again");

    set_policy(&t, "helpdesk_may_unlock", "false").await;
    assert_eq!(
        error_of(helpdesk_unlock(&t, &agent, dana).await).await,
        "NotAllowedByPolicy"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_access_pass_signs_in_once_and_sends_the_person_to_register() {
    let t = spawn().await;
    let (dana, app, agent) = caller_with_app(&t).await;
    let code = code_at(&app.secret, t.clock_now(), 0);
    assert_eq!(
        verify(&t, &agent, dana, app.method_id, &code)
            .await
            .status(),
        StatusCode::OK
    );
    let first = pass_of(issue_pass(&t, &agent, dana).await).await;
    let pass = pass_of(issue_pass(&t, &agent, dana).await).await;
    assert_ne!(first, pass);
    assert_eq!(pass.len(), 19, "four groups of four: {pass}");

    // The first pass was replaced; a wrong username or pass says the same.
    let phone = new_client();
    let res = sign_in_with_pass(&t, &phone, "dana", &first).await;
    assert_eq!(invalid_field(res).await, "pass");
    let res = sign_in_with_pass(&t, &phone, "nobody", &pass).await;
    assert_eq!(invalid_field(res).await, "pass");

    // Typed with capitals and spaces, it signs in: both steps, no password.
    let typed = pass.to_uppercase().replace('-', " ");
    let res = sign_in_with_pass(&t, &phone, "dana", &typed).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    assert_eq!(t.whoami(&phone).await["username"], "dana");
    // The session counts as freshly verified: a new app can be added at once.
    let new_app = enrol(&t, &phone, "New phone").await;
    assert!(new_app.method_id > app.method_id);

    // Once only.
    let res = sign_in_with_pass(&t, &new_client(), "dana", &pass).await;
    assert_eq!(invalid_field(res).await, "pass");
    let codes = event_codes(&t, dana).await;
    let accepted = ResultCode::AccessPassAccepted.code();
    let refused = ResultCode::AccessPassIncorrect.code();
    assert_eq!(codes.iter().filter(|c| **c == accepted).count(), 1);
    assert_eq!(codes.iter().filter(|c| **c == refused).count(), 2);

    let audit = audit_actions(&t, dana).await;
    let issued: Vec<&String> = audit
        .iter()
        .filter(|(_, action, _)| action == "access_pass.issued")
        .map(|(_, _, detail)| detail)
        .collect();
    assert_eq!(issued.len(), 2);
    assert!(issued[1].contains("the earlier pass no longer works"));
    let mails: Vec<String> = sqlx::query_scalar(
        "SELECT subject FROM outbox WHERE user_id = $1 AND channel = 'email' ORDER BY id",
    )
    .bind(dana.0)
    .fetch_all(t.app.state.db.pool())
    .await
    .unwrap();
    let told = mails
        .iter()
        .filter(|s| s.contains("temporary access pass"))
        .count();
    assert_eq!(told, 2, "{mails:?}");
    for text in audit.iter().map(|(_, _, d)| d).chain(mails.iter()) {
        assert!(!text.contains(&pass), "the pass is never stored in clear");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_single_use_pass_signs_in_one_browser_of_a_burst_and_expires_by_the_clock() {
    let t = spawn().await;
    let dana = t.create_user("dana", Role::User).await;
    let (root_id, root) = signed_in(&t, "root", Role::Admin).await;
    // Failed tries count toward dana's lockout; let all twenty reach the pass.
    set_policy(&t, "lockout_threshold", "100").await;
    let pass = pass_of(admin_issue(&t, &root, dana).await).await;
    let browsers: Vec<Client> = (0..20).map(|_| new_client()).collect();
    let burst = browsers
        .iter()
        .map(|browser| sign_in_with_pass(&t, browser, "dana", &pass));
    let statuses: Vec<StatusCode> = join_all(burst).await.iter().map(Response::status).collect();
    let signed_in = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(signed_in, 1, "{statuses:?}");

    // A pass works only within the policy's minutes (60 by default).
    let pass = pass_of(admin_issue(&t, &root, dana).await).await;
    t.clock.advance_secs(60 * 60);
    let res = sign_in_with_pass(&t, &new_client(), "dana", &pass).await;
    assert_eq!(invalid_field(res).await, "pass");

    // A reusable pass works several times within its time.
    set_policy(&t, "access_pass_reusable", "true").await;
    t.clock.advance_secs(60);
    let root = new_client();
    t.sign_in_as(&root, "root", PASSWORD).await;
    let pass = pass_of(admin_issue(&t, &root, dana).await).await;
    for _ in 0..3 {
        let res = sign_in_with_pass(&t, &new_client(), "dana", &pass).await;
        assert_eq!(res.status(), StatusCode::OK);
    }

    // The admin's own verification must be recent; never a pass for themselves.
    t.clock.advance_secs(11 * 60);
    let res = admin_issue(&t, &root, dana).await;
    assert_eq!(error_of(res).await, "ReauthenticationRequired");
    let fresh = new_client();
    t.sign_in_as(&fresh, "root", PASSWORD).await;
    let res = admin_issue(&t, &fresh, root_id).await;
    assert_eq!(error_of(res).await, "NotHelpable");
}
