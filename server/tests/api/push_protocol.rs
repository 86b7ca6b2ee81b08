//! The push protocol end to end with the test app (`push_app`): enrolment, polling,
//! approving with the number, denying, reporting fraud, and every way an answer or
//! a poll is refused.

use crate::helpers::{PASSWORD, spawn};
use crate::push_app::{Answer, PushApp, accepted, iso_utc, scan};
use crate::push_helpers::*;
use crate::totp_helpers::{error_of, password_step};
use app::domain::Role;
use reqwest::StatusCode;

#[tokio::test]
async fn the_qr_code_enrols_an_app_whose_test_prompt_activates_it() {
    let t = spawn().await;
    let user = t.create_user("pat", Role::User).await;
    password_step(&t, &t.client, "pat").await;
    let res = t
        .post_form(&t.client, "/api/begin_push_device", &[("name", "Pixel")])
        .await;
    let view: serde_json::Value = res.json().await.unwrap();
    let method_id = view["method_id"].as_i64().unwrap();
    let uri = view["uri"].as_str().unwrap().to_owned();
    let scanned = scan(&uri);
    assert_eq!(scanned.label, "pat");
    assert_eq!(scanned.credential.len(), 40, "40 hex digits");
    assert!(scanned.credential.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(scanned.url.ends_with("/device/push"));
    assert_eq!(scanned.ssl_verify, "0", "the test portal is plain http");
    assert_eq!(scanned.params["v"], "1");
    assert_eq!(scanned.params["ttl"], "10");
    assert_eq!(scanned.params["poll_only"], "True");
    assert!(view["qr_svg"].as_str().unwrap().contains("<svg"));
    assert_eq!(activation(&t, &t.client, method_id).await, "WaitingForApp");
    // The app's real key size.
    let mut phone = PushApp::scanned(&uri, 4096);
    let res = phone.enrol(&t).await;
    phone.keep_server_key(res).await;
    let code = test_prompt_code(&t, &t.client, method_id).await;
    let prompts = phone.poll(&t).await;
    assert_eq!(prompts.len(), 1);
    let choices = prompts[0]
        .choices
        .clone()
        .expect("number matching by default");
    assert_eq!(choices.len(), 3);
    assert!(choices.contains(&code));
    // Not active yet: no sign-in can use it.
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT status FROM mfa_methods WHERE user_id = $1")
            .bind(user.0)
            .fetch_all(t.app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(kinds, vec!["pending".to_owned()]);
    assert!(accepted(
        &phone.answer(&t, &prompts[0], Answer::Pick(code)).await
    ));
    assert_eq!(activation(&t, &t.client, method_id).await, "Active");
    let subjects = app::store::testing::outbox::subjects_for(&t.app.state.db, user)
        .await
        .unwrap();
    assert!(subjects.contains(&"A sign-in method was added to your account".to_owned()));
    let res = t.post_form(&t.client, "/api/security_info", &[]).await;
    let info: serde_json::Value = res.json().await.unwrap();
    assert_eq!(info["push_devices"][0]["name"], "Pixel");
    assert_eq!(info["push_devices"][0]["kind"], "push");
}

#[tokio::test]
async fn the_enrolment_credential_works_once_and_only_for_its_device() {
    let t = spawn().await;
    t.create_user("pat", Role::User).await;
    password_step(&t, &t.client, "pat").await;
    let (_, uri) = begin_device(&t, &t.client, "Pixel").await;
    let mut thief = PushApp::scanned(&uri, 2048);
    let wrong = "0".repeat(40);
    let res = thief.enrol_with(&t, &wrong).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["result"]["status"], false);
    assert!(body["result"]["error"]["message"].is_string());
    let mut phone = PushApp::scanned(&uri, 2048);
    let res = phone.enrol(&t).await;
    phone.keep_server_key(res).await;
    // The same credential again (a copy of the QR code) is refused.
    let res = thief.enrol(&t).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_enrolment_expires_after_ten_minutes() {
    let t = spawn().await;
    t.create_user("pat", Role::User).await;
    password_step(&t, &t.client, "pat").await;
    let (_, uri) = begin_device(&t, &t.client, "Pixel").await;
    t.clock.advance_secs(10 * 60 + 1);
    let mut phone = PushApp::scanned(&uri, 2048);
    assert_eq!(phone.enrol(&t).await.status(), StatusCode::BAD_REQUEST);
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM push_devices WHERE device_key IS NOT NULL")
            .fetch_one(t.app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(count, 0, "no key was stored");
}

#[tokio::test]
async fn signing_in_with_the_number_shown_on_the_sign_in_page() {
    let t = spawn().await;
    let (user, phone) = user_with_device(&t, "pat").await;
    let browser = at_second_step(&t, "pat").await;
    let view = crate::phone_helpers::second_step_view(&t, &browser).await;
    assert_eq!(view["push"], true);
    assert_eq!(
        view["start"], "app_notification",
        "the strongest method first"
    );
    let prompt = prompt(&t, &browser).await;
    assert_eq!(prompt["approval"], "pick");
    assert_eq!(prompt["expires_in_secs"], 60);
    let shown = prompt["shown_code"].as_str().unwrap().to_owned();
    let prompts = phone.poll(&t).await;
    assert_eq!(prompts.len(), 1);
    let question = &prompts[0].question;
    assert!(
        question.contains("127.0.0.1"),
        "from which address: {question}"
    );
    assert!(question.contains("UTC"), "when: {question}");
    assert_eq!(prompts[0].title, "MFA Portal");
    assert_eq!(prompts[0].url, scan_url(&phone));
    assert!(prompts[0].choices.as_ref().unwrap().contains(&shown));
    assert!(accepted(
        &phone.answer(&t, &prompts[0], Answer::Pick(shown)).await
    ));
    assert_eq!(status_word(&t, &browser, &prompt).await, "Approved");
    assert_eq!(t.whoami(&browser).await["username"], "pat");
    assert!(result_codes(&t, user).await.contains(&21));
    // Taken once: the same approval signs in nobody else.
    assert_ne!(status(&t, &browser, &prompt).await.status(), StatusCode::OK);
    assert!(
        phone.poll(&t).await.is_empty(),
        "a decided prompt is not offered again"
    );
}

#[tokio::test]
async fn a_wrong_number_refuses_and_counts_toward_lockout() {
    let t = spawn().await;
    let (user, phone) = user_with_device(&t, "pat").await;
    let browser = at_second_step(&t, "pat").await;
    let prompt = prompt(&t, &browser).await;
    let shown = prompt["shown_code"].as_str().unwrap();
    let prompts = phone.poll(&t).await;
    let wrong = prompts[0]
        .choices
        .as_ref()
        .unwrap()
        .iter()
        .find(|c| c.as_str() != shown)
        .unwrap()
        .clone();
    phone.answer(&t, &prompts[0], Answer::Pick(wrong)).await;
    assert_eq!(status_word(&t, &browser, &prompt).await, "Denied");
    assert!(t.whoami(&browser).await.is_null());
    assert!(result_codes(&t, user).await.contains(&137));
    let failures: i64 = sqlx::query_scalar("SELECT failed_sign_ins FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_one(t.app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(failures, 1);
}

#[tokio::test]
async fn deny_refuses_the_sign_in() {
    let t = spawn().await;
    let (user, phone) = user_with_device(&t, "pat").await;
    let browser = at_second_step(&t, "pat").await;
    let prompt = prompt(&t, &browser).await;
    let prompts = phone.poll(&t).await;
    assert!(accepted(&phone.answer(&t, &prompts[0], Answer::Deny).await));
    assert_eq!(status_word(&t, &browser, &prompt).await, "Denied");
    assert!(t.whoami(&browser).await.is_null());
    assert!(result_codes(&t, user).await.contains(&129));
    // The person may still try again.
    prompt_again_succeeds(&t, &browser).await;
}

fn scan_url(phone: &PushApp) -> String {
    phone.token.url.clone()
}

async fn prompt_again_succeeds(t: &crate::helpers::TestApp, browser: &reqwest::Client) {
    assert_eq!(send_prompt(t, browser).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn deny_and_report_fraud_blocks_every_further_prompt_and_alerts() {
    let t = spawn().await;
    t.create_user("ada", Role::Admin).await;
    let (user, phone) = user_with_device(&t, "pat").await;
    let browser = at_second_step(&t, "pat").await;
    let prompt = prompt(&t, &browser).await;
    let prompts = phone.poll(&t).await;
    assert!(accepted(
        &phone.answer(&t, &prompts[0], Answer::ReportFraud).await
    ));
    assert_eq!(status_word(&t, &browser, &prompt).await, "FraudReported");
    assert!(result_codes(&t, user).await.contains(&132));
    let sources: Vec<String> =
        sqlx::query_scalar("SELECT source FROM fraud_reports WHERE user_id = $1")
            .bind(user.0)
            .fetch_all(t.app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(sources, vec!["push".to_owned()]);
    let alerts: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE subject = 'Fraud report: pat reported an app notification as fraud'",
    )
    .fetch_one(t.app.state.db.pool())
    .await
    .unwrap();
    assert!(alerts >= 1, "the admins are alerted");
    let subjects = app::store::testing::outbox::subjects_for(&t.app.state.db, user)
        .await
        .unwrap();
    assert!(subjects.contains(&"You reported a sign-in notification as fraud".to_owned()));
    let res = send_prompt(&t, &browser).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_of(res).await, "PushPromptsBlocked");
    assert!(result_codes(&t, user).await.contains(&135));
    assert!(phone.poll(&t).await.is_empty());
}

#[tokio::test]
async fn a_poll_with_a_bad_signature_or_a_stale_timestamp_is_refused() {
    let t = spawn().await;
    let (_, phone) = user_with_device(&t, "pat").await;
    let browser = at_second_step(&t, "pat").await;
    prompt(&t, &browser).await;
    let now = iso_utc(t.clock_now());
    let forged = phone.sign("someone else|text");
    let res = phone.poll_signed(&t, &now, &forged).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["result"]["status"], false);
    assert!(body["result"]["error"].is_object());
    let stale = iso_utc(t.clock_now() - 61);
    assert_eq!(
        phone.poll_at(&t, &stale).await.status(),
        StatusCode::BAD_REQUEST
    );
    let future = iso_utc(t.clock_now() + 61);
    assert_eq!(
        phone.poll_at(&t, &future).await.status(),
        StatusCode::BAD_REQUEST
    );
    let ok = iso_utc(t.clock_now() - 59);
    assert_eq!(phone.poll_at(&t, &ok).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_answer_with_a_bad_signature_decides_nothing() {
    let t = spawn().await;
    let (user, phone) = user_with_device(&t, "pat").await;
    let browser = at_second_step(&t, "pat").await;
    let prompt = prompt(&t, &browser).await;
    let prompts = phone.poll(&t).await;
    let shown = prompt["shown_code"].as_str().unwrap().to_owned();
    let form = [
        ("serial", phone.token.serial.clone()),
        ("nonce", prompts[0].nonce.clone()),
        ("presence_answer", shown.clone()),
        // Signed without the number: not what was sent.
        (
            "signature",
            phone.sign(&format!("{}|{}", prompts[0].nonce, phone.token.serial)),
        ),
    ];
    let answer = phone.post_answer(&t, &form).await;
    assert_eq!(answer["result"]["value"], false);
    assert!(result_codes(&t, user).await.contains(&137));
    // Still open: the real answer counts.
    assert_eq!(phone.poll(&t).await.len(), 1);
    assert!(accepted(
        &phone.answer(&t, &prompts[0], Answer::Pick(shown)).await
    ));
    assert_eq!(status_word(&t, &browser, &prompt).await, "Approved");
}

#[tokio::test]
async fn a_replayed_answer_and_another_devices_answer_are_refused() {
    let t = spawn().await;
    let (user, phone) = user_with_device(&t, "pat").await;
    let browser = at_second_step(&t, "pat").await;
    let first = prompt(&t, &browser).await;
    let prompts = phone.poll(&t).await;
    let shown = first["shown_code"].as_str().unwrap().to_owned();
    assert!(accepted(
        &phone
            .answer(&t, &prompts[0], Answer::Pick(shown.clone()))
            .await
    ));
    let replay = phone
        .answer(&t, &prompts[0], Answer::Pick(shown.clone()))
        .await;
    assert_eq!(replay["result"]["value"], false, "a nonce is answered once");
    // Another person's device cannot answer pat's prompt, even with its own signature.
    let stranger = t.create_user("sam", Role::User).await;
    let sam = crate::helpers::new_client();
    password_step(&t, &sam, "sam").await;
    let (sams_phone, _) = add_device(&t, &sam, "Sam's", 2048).await;
    t.mfa_on(stranger).await;
    let browser_two = at_second_step(&t, "pat").await;
    let second = prompt(&t, &browser_two).await;
    let pats = phone.poll(&t).await;
    let shown_two = second["shown_code"].as_str().unwrap().to_owned();
    let stolen = sams_phone
        .answer(&t, &pats[0], Answer::Pick(shown_two))
        .await;
    assert_eq!(stolen["result"]["value"], false);
    assert!(
        sams_phone.poll(&t).await.is_empty(),
        "pat's prompts never reach sam"
    );
    assert_eq!(status_word(&t, &browser, &first).await, "Approved");
    assert!(result_codes(&t, user).await.contains(&21));
}

#[tokio::test]
async fn a_prompt_expires_after_a_minute_and_a_late_answer_counts_for_nothing() {
    let t = spawn().await;
    let (user, phone) = user_with_device(&t, "pat").await;
    let browser = at_second_step(&t, "pat").await;
    let prompt = prompt(&t, &browser).await;
    let prompts = phone.poll(&t).await;
    t.clock.advance_secs(61);
    assert_eq!(status_word(&t, &browser, &prompt).await, "Expired");
    assert!(result_codes(&t, user).await.contains(&133));
    let shown = prompt["shown_code"].as_str().unwrap().to_owned();
    let late = phone.answer(&t, &prompts[0], Answer::Pick(shown)).await;
    assert_eq!(late["result"]["value"], false);
    assert!(t.whoami(&browser).await.is_null());
    assert!(phone.poll(&t).await.is_empty());
    // "Send another".
    prompt_again_succeeds(&t, &browser).await;
}

#[tokio::test]
async fn a_prompt_no_device_fetched_expires_as_a_failed_notification() {
    let t = spawn().await;
    let (user, _phone) = user_with_device(&t, "pat").await;
    let browser = at_second_step(&t, "pat").await;
    // The phone is offline: it never polls while the prompt is open.
    t.clock.advance_secs(1);
    let prompt = prompt(&t, &browser).await;
    t.clock.advance_secs(61);
    assert_eq!(status_word(&t, &browser, &prompt).await, "Expired");
    let codes = result_codes(&t, user).await;
    assert!(codes.contains(&136), "{codes:?}");
    assert!(!codes.contains(&133), "{codes:?}");
}

#[tokio::test]
async fn a_prompt_is_bound_to_its_own_sign_in() {
    let t = spawn().await;
    let (_, phone) = user_with_device(&t, "pat").await;
    let attacker = at_second_step(&t, "pat").await;
    let person = at_second_step(&t, "pat").await;
    let theirs = prompt(&t, &attacker).await;
    let mine = prompt(&t, &person).await;
    let prompts = phone.poll(&t).await;
    assert_eq!(prompts.len(), 2);
    let shown = mine["shown_code"].as_str().unwrap().to_owned();
    // Offered oldest first (numbers alone may repeat between two prompts).
    let my_prompt = &prompts[1];
    assert!(my_prompt.choices.as_ref().unwrap().contains(&shown));
    phone.answer(&t, my_prompt, Answer::Pick(shown)).await;
    // The attacker's browser cannot take the other sign-in's approval.
    let stolen = status(&t, &attacker, &mine).await;
    assert_eq!(stolen.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_of(stolen).await, "PushPromptOver");
    assert!(t.whoami(&attacker).await.is_null());
    assert_eq!(status_word(&t, &person, &mine).await, "Approved");
    assert_eq!(t.whoami(&person).await["username"], "pat");
    // The attacker's own prompt stays unanswered until it expires.
    t.clock.advance_secs(61);
    assert_eq!(status_word(&t, &attacker, &theirs).await, "Expired");
}

#[tokio::test]
async fn a_person_without_a_device_or_allowed_notifications_gets_no_prompt() {
    let t = spawn().await;
    let (_, _phone) = user_with_device(&t, "pat").await;
    let browser = at_second_step(&t, "pat").await;
    app::services::portal_settings::set(
        &t.app.state.db,
        "allowed_methods",
        "app_code",
        t.clock_now(),
        &crate::helpers::TEST_ACTOR,
        None,
    )
    .await
    .unwrap()
    .unwrap();
    let res = send_prompt(&t, &browser).await;
    assert_eq!(error_of(res).await, "MethodNotAllowed");
    t.create_user("nat", Role::User).await;
    let other = crate::helpers::new_client();
    t.sign_in_as(&other, "nat", PASSWORD).await;
    // nat is signed in (MFA off) and has no pending second step.
    assert_ne!(send_prompt(&t, &other).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_person_with_only_a_notification_app_confirms_changes_with_a_prompt() {
    let t = spawn().await;
    let (user, phone) = user_with_device(&t, "pat").await;
    let browser = at_second_step(&t, "pat").await;
    let first = prompt(&t, &browser).await;
    let prompts = phone.poll(&t).await;
    let shown = first["shown_code"].as_str().unwrap().to_owned();
    phone.answer(&t, &prompts[0], Answer::Pick(shown)).await;
    assert_eq!(status_word(&t, &browser, &first).await, "Approved");
    // Eleven minutes later the step-up has lapsed; the password alone is refused.
    t.clock.advance_secs(11 * 60);
    let res = t
        .post_form(&browser, "/api/confirm_identity", &[("password", PASSWORD)])
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = t
        .post_form(&browser, "/api/start_push", &[("purpose", "confirm")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let confirm: serde_json::Value = res.json().await.unwrap();
    let prompts = phone.poll(&t).await;
    let shown = confirm["shown_code"].as_str().unwrap().to_owned();
    phone.answer(&t, &prompts[0], Answer::Pick(shown)).await;
    let id = confirm["challenge_id"].as_i64().unwrap().to_string();
    let res = t
        .post_form(
            &browser,
            "/api/push_status",
            &[("challenge_id", &id), ("purpose", "confirm")],
        )
        .await;
    assert_eq!(res.json::<String>().await.unwrap(), "Approved");
    let info: serde_json::Value = t
        .post_form(&browser, "/api/security_info", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(info["recently_verified"], true);
    // A confirmation prompt cannot complete a sign-in elsewhere.
    let other = at_second_step(&t, "pat").await;
    let res = t
        .post_form(
            &other,
            "/api/push_status",
            &[("challenge_id", &id), ("purpose", "sign_in")],
        )
        .await;
    assert_ne!(res.status(), StatusCode::OK);
    assert!(
        result_codes(&t, user)
            .await
            .iter()
            .filter(|c| **c == 21)
            .count()
            >= 2
    );
}

#[tokio::test]
async fn removing_a_device_needs_a_recent_verification_and_stops_its_polls() {
    let t = spawn().await;
    let (_, phone) = user_with_device(&t, "pat").await;
    let info: serde_json::Value = t
        .post_form(&t.client, "/api/security_info", &[])
        .await
        .json()
        .await
        .unwrap();
    let method_id = info["push_devices"][0]["id"].as_i64().unwrap().to_string();
    t.clock.advance_secs(11 * 60);
    let res = t
        .post_form(
            &t.client,
            "/api/remove_method",
            &[("method_id", &method_id)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "step-up first");
    t.clock.advance_secs(-11 * 60);
    let res = t
        .post_form(
            &t.client,
            "/api/remove_method",
            &[("method_id", &method_id)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let poll = phone.poll_at(&t, &iso_utc(t.clock_now())).await;
    assert_eq!(poll.status(), StatusCode::BAD_REQUEST, "the device is gone");
}

#[tokio::test]
async fn the_web_authenticator_gets_a_seed_for_offline_codes_activated_with_the_device() {
    let t = spawn().await;
    let user = t.create_user("pat", Role::User).await;
    password_step(&t, &t.client, "pat").await;
    let (method_id, uri) = begin_device(&t, &t.client, "Browser").await;
    let mut phone = PushApp::scanned(&uri, 2048);
    phone.wants_offline_codes = true;
    let res = phone.enrol(&t).await;
    phone.keep_server_key(res).await;
    let seed = phone
        .offline_secret
        .clone()
        .expect("a seed for offline codes");
    assert_eq!(seed.len(), 20, "160 bits");
    let code = test_prompt_code(&t, &t.client, method_id).await;
    let prompts = phone.poll(&t).await;
    phone.answer(&t, &prompts[0], Answer::Pick(code)).await;
    assert_eq!(activation(&t, &t.client, method_id).await, "Active");
    t.mfa_on(user).await;
    let browser = at_second_step(&t, "pat").await;
    let view = crate::phone_helpers::second_step_view(&t, &browser).await;
    let offline = &view["methods"][0];
    assert_eq!(offline["name"], "Browser (offline codes)");
    let offline_id = offline["id"].as_i64().unwrap();
    let code = crate::totp_helpers::code_at(&seed, t.clock_now(), 0);
    let res = crate::totp_helpers::second_step(&t, &browser, offline_id, &code, false).await;
    assert!(res.status().is_success() || res.status().is_redirection());
    assert_eq!(t.whoami(&browser).await["username"], "pat");
    // An app from the stores does not ask, and gets no seed.
    let (_, uri) = begin_device(&t, &t.client, "Pixel").await;
    let mut store_app = PushApp::scanned(&uri, 2048);
    let res = store_app.enrol(&t).await;
    store_app.keep_server_key(res).await;
    assert!(store_app.offline_secret.is_none());
}
