use crate::helpers::{PASSWORD, new_client, spawn, spawn_with};
use crate::totp_helpers::{
    code_at, enrol, error_of, password_step, remembered_browser, second_step, user_with_app,
};
use app::domain::{MfaState, ResultCode, Role, Username};
use app::services::audit::Actor;
use app::store::testing::{audit, outbox, sign_in_events};
use reqwest::StatusCode;

async fn latest_code(t: &crate::helpers::TestApp) -> i64 {
    sign_in_events::latest(&t.app.state.db, 1).await.unwrap()[0].result_code
}

async fn set_state(t: &crate::helpers::TestApp, username: &str, state: MfaState) {
    let name = Username::parse(username).unwrap();
    app::services::security::set_mfa_state(&t.app.state, &name, state, &Actor::System("test"))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_is_enrolled_by_qr_then_asked_for_at_every_sign_in() {
    let t = spawn().await;
    let alice = t.create_user("alice", Role::User).await;
    password_step(&t, &t.client, "alice").await;
    let begin = t
        .post_form(&t.client, "/api/begin_authenticator", &[("name", "Phone")])
        .await;
    let body: serde_json::Value = begin.json().await.unwrap();
    let uri = body["otpauth_uri"].as_str().unwrap();
    let secret = body["secret_grouped"].as_str().unwrap().replace(' ', "");
    assert_eq!(
        uri,
        format!(
            "otpauth://totp/MFA%20Portal:alice?secret={secret}&issuer=MFA%20Portal&algorithm=SHA1&digits=6&period=30"
        )
    );
    assert_eq!(secret.len(), 32, "160 bits in base32");
    assert!(
        body["qr_svg"].as_str().unwrap().starts_with("<?xml")
            || body["qr_svg"].as_str().unwrap().contains("<svg")
    );
    let id = body["method_id"].as_i64().unwrap().to_string();
    let bytes = crate::totp_helpers::secret_bytes(&secret);

    let wrong = t
        .post_form(
            &t.client,
            "/api/activate_authenticator",
            &[("method_id", &id), ("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let code = code_at(&bytes, t.clock_now(), 0);
    let right = t
        .post_form(
            &t.client,
            "/api/activate_authenticator",
            &[("method_id", &id), ("code", &code)],
        )
        .await;
    assert_eq!(right.status(), StatusCode::OK);
    assert_eq!(
        outbox::subjects_for(&t.app.state.db, alice).await.unwrap(),
        ["A sign-in method was added to your account"]
    );
    assert!(
        audit::actions_for(&t.app.state.db, alice)
            .await
            .unwrap()
            .contains(&"method.added".to_owned())
    );

    t.post_form(&t.client, "/api/sign_out", &[]).await;
    t.mfa_on(alice).await;
    let res = password_step(&t, &t.client, "alice").await;
    assert_eq!(res.headers()["location"], "/sign-in/verify");
    assert_eq!(latest_code(&t).await, ResultCode::OATHCodePending.code());
    assert!(
        t.whoami(&t.client).await.is_null(),
        "the password alone grants nothing"
    );
    assert_eq!(
        t.get(&t.client, "/account").await.status(),
        StatusCode::FOUND
    );

    t.clock.advance_secs(30);
    let code = code_at(&bytes, t.clock_now(), 0);
    let res = second_step(
        &t,
        &t.client,
        id.parse().unwrap(),
        &format!(" {} {} ", &code[..3], &code[3..]),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(t.whoami(&t.client).await["username"], "alice");
    assert_eq!(latest_code(&t).await, ResultCode::OATHCodeVerified.code());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_is_accepted_once_and_only_within_one_step_of_now() {
    let t = spawn().await;
    let (_, app) = user_with_app(&t, "alice").await;
    let signed_out = new_client();

    t.clock.advance_secs(300);
    password_step(&t, &signed_out, "alice").await;
    let too_old = code_at(&app.secret, t.clock_now(), -2);
    let res = second_step(&t, &signed_out, app.method_id, &too_old, false).await;
    assert_eq!(error_of(res).await, "CodeOutOfDate");
    assert_eq!(latest_code(&t).await, ResultCode::OATHCodeOutOfDate.code());

    let previous = code_at(&app.secret, t.clock_now(), -1);
    assert_eq!(
        second_step(&t, &signed_out, app.method_id, &previous, false)
            .await
            .status(),
        StatusCode::OK
    );

    let again = new_client();
    password_step(&t, &again, "alice").await;
    let replay = second_step(&t, &again, app.method_id, &previous, false).await;
    assert_eq!(error_of(replay).await, "CodeAlreadyUsed");
    assert_eq!(latest_code(&t).await, ResultCode::DuplicateOATHCode.code());

    let next = code_at(&app.secret, t.clock_now(), 1);
    assert_eq!(
        second_step(&t, &again, app.method_id, &next, false)
            .await
            .status(),
        StatusCode::OK
    );
    let wrong = new_client();
    password_step(&t, &wrong, "alice").await;
    let res = second_step(&t, &wrong, app.method_id, "123456", false).await;
    assert_eq!(error_of(res).await, "CodeIncorrect");
    assert_eq!(latest_code(&t).await, ResultCode::OATHCodeIncorrect.code());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_concurrent_submissions_of_one_code_give_exactly_one_success() {
    let t = spawn().await;
    let (_, app) = user_with_app(&t, "alice").await;
    t.clock.advance_secs(60);
    let (a, b) = (new_client(), new_client());
    password_step(&t, &a, "alice").await;
    password_step(&t, &b, "alice").await;
    let code = code_at(&app.secret, t.clock_now(), 0);
    let (ra, rb) = tokio::join!(
        second_step(&t, &a, app.method_id, &code, false),
        second_step(&t, &b, app.method_id, &code, false)
    );
    let successes = [ra.status(), rb.status()]
        .iter()
        .filter(|s| **s == StatusCode::OK)
        .count();
    assert_eq!(successes, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_codes_lock_the_account_like_wrong_passwords() {
    let t = spawn_with(|c| c.lockout_threshold = 3).await;
    let (_, app) = user_with_app(&t, "alice").await;
    let attacker = new_client();
    password_step(&t, &attacker, "alice").await;
    for _ in 0..3 {
        second_step(&t, &attacker, app.method_id, "111111", false).await;
        // The correct password again must not reset the count.
        password_step(&t, &attacker, "alice").await;
    }
    t.clock.advance_secs(30);
    let code = code_at(&app.secret, t.clock_now(), 0);
    let res = second_step(&t, &attacker, app.method_id, &code, false).await;
    assert_eq!(
        res.status(),
        StatusCode::LOCKED,
        "{}",
        res.text().await.unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pending_second_step_expires_after_five_minutes() {
    let t = spawn().await;
    let (_, app) = user_with_app(&t, "alice").await;
    let client = new_client();
    password_step(&t, &client, "alice").await;
    t.clock.advance_secs(5 * 60 + 1);
    let code = code_at(&app.secret, t.clock_now(), 0);
    let res = second_step(&t, &client, app.method_id, &code, false).await;
    assert_eq!(error_of(res).await, "SignInExpired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enforced_user_without_a_method_must_register_one_before_anything_else() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    set_state(&t, "alice", MfaState::Enforced).await;
    let res = password_step(&t, &t.client, "alice").await;
    assert_eq!(res.headers()["location"], "/sign-in/register");
    assert_eq!(latest_code(&t).await, ResultCode::UserIncomplete.code());
    assert!(t.whoami(&t.client).await.is_null());
    assert_eq!(
        t.post_form(&t.client, "/api/account_overview", &[])
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    enrol(&t, &t.client, "Phone").await;
    assert_eq!(t.whoami(&t.client).await["username"], "alice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_browser_skips_the_step_until_forgotten_or_expired() {
    let t = spawn_with(|c| c.remember_mfa_days = 14).await;
    let (_, app) = user_with_app(&t, "alice").await;
    let (browser, res) = remembered_browser(&t, "alice", &app).await;
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("mfa_device="));
    let cookie = cookie.expect("a remembered-device cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Max-Age=1209600"),
        "{cookie}"
    );

    t.post_form(&t.client, "/api/sign_out", &[]).await;
    t.post_form(&browser, "/api/sign_out", &[]).await;
    let res = password_step(&t, &browser, "alice").await;
    assert_ne!(
        res.headers().get("location").map(|v| v.to_str().unwrap()),
        Some("/sign-in/verify")
    );
    assert_eq!(
        latest_code(&t).await,
        ResultCode::SecondStepRemembered.code()
    );
    assert_eq!(t.whoami(&browser).await["username"], "alice");

    let other = new_client();
    password_step(&t, &other, "alice").await;
    assert!(
        t.whoami(&other).await.is_null(),
        "another browser still gets the second step"
    );

    t.clock.advance_secs(15 * 86_400);
    t.post_form(&browser, "/api/sign_out", &[]).await;
    password_step(&t, &browser, "alice").await;
    assert!(
        t.whoami(&browser).await.is_null(),
        "the remembered browser expired"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_browser_is_asked_again() {
    let t = spawn().await;
    let (_, app) = user_with_app(&t, "alice").await;
    let (browser, _) = remembered_browser(&t, "alice", &app).await;
    let info: serde_json::Value = t
        .post_form(&browser, "/api/security_info", &[])
        .await
        .json()
        .await
        .unwrap();
    let device = info["devices"][0]["id"].as_i64().unwrap().to_string();
    assert_eq!(
        t.post_form(&browser, "/api/forget_device", &[("device_id", &device)])
            .await
            .status(),
        StatusCode::OK
    );
    t.post_form(&browser, "/api/sign_out", &[]).await;
    password_step(&t, &browser, "alice").await;
    assert!(t.whoami(&browser).await.is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enforced_user_cannot_remove_their_last_method_and_changes_need_recent_verification() {
    let t = spawn().await;
    let alice = t.create_user("alice", Role::User).await;
    password_step(&t, &t.client, "alice").await;
    let first = enrol(&t, &t.client, "Phone").await;
    set_state(&t, "alice", MfaState::Enforced).await;
    let id = first.method_id.to_string();
    let res = t
        .post_form(&t.client, "/api/remove_method", &[("method_id", &id)])
        .await;
    assert_eq!(error_of(res).await, "LastMethodRequired");

    t.clock.advance_secs(30);
    let second = enrol(&t, &t.client, "Tablet").await;
    t.clock.advance_secs(11 * 60);
    let stale = t
        .post_form(&t.client, "/api/remove_method", &[("method_id", &id)])
        .await;
    assert_eq!(error_of(stale).await, "ReauthenticationRequired");
    let second_id = second.method_id.to_string();
    let code = code_at(&second.secret, t.clock_now(), 0);
    let confirm = t
        .post_form(
            &t.client,
            "/api/confirm_identity",
            &[("method_id", &second_id), ("code", &code)],
        )
        .await;
    assert_eq!(confirm.status(), StatusCode::OK);
    assert_eq!(
        t.post_form(&t.client, "/api/remove_method", &[("method_id", &id)])
            .await
            .status(),
        StatusCode::OK
    );
    let subjects = outbox::subjects_for(&t.app.state.db, alice).await.unwrap();
    assert_eq!(
        subjects.last().unwrap(),
        "A sign-in method was removed from your account"
    );
    let other = t
        .post_form(
            &new_client(),
            "/api/remove_method",
            &[("method_id", &second_id)],
        )
        .await;
    assert_eq!(other.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_can_touch_another_users_method() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    t.create_user("mallory", Role::User).await;
    password_step(&t, &t.client, "alice").await;
    let app = enrol(&t, &t.client, "Phone").await;
    let mallory = new_client();
    t.sign_in_as(&mallory, "mallory", PASSWORD).await;
    let id = app.method_id.to_string();
    let res = t
        .post_form(&mallory, "/api/remove_method", &[("method_id", &id)])
        .await;
    assert_eq!(error_of(res).await, "MethodNotFound");
    let res = t
        .post_form(
            &mallory,
            "/api/rename_method",
            &[("method_id", &id), ("name", "mine")],
        )
        .await;
    assert_eq!(error_of(res).await, "MethodNotFound");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_is_stored_only_sealed() {
    let t = spawn().await;
    let (_, app) = user_with_app(&t, "alice").await;
    let sealed: String = sqlx::query_scalar("SELECT sealed_secret FROM totp_secrets")
        .fetch_one(t.app.state.db.pool())
        .await
        .unwrap();
    let base32 = data_encoding::BASE32_NOPAD.encode(&app.secret);
    assert!(sealed.starts_with("v1.") && !sealed.contains(&base32));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_abandoned_enrolment_expires_after_ten_minutes() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    password_step(&t, &t.client, "alice").await;
    let body: serde_json::Value = t
        .post_form(&t.client, "/api/begin_authenticator", &[("name", "Old")])
        .await
        .json()
        .await
        .unwrap();
    let secret = crate::totp_helpers::secret_bytes(body["secret_grouped"].as_str().unwrap());
    t.clock.advance_secs(9 * 60);
    // Keep the session fresh enough to change methods.
    password_step(&t, &t.client, "alice").await;
    t.clock.advance_secs(2 * 60);
    let id = body["method_id"].as_i64().unwrap().to_string();
    let code = code_at(&secret, t.clock_now(), 0);
    let res = t
        .post_form(
            &t.client,
            "/api/activate_authenticator",
            &[("method_id", &id), ("code", &code)],
        )
        .await;
    assert_eq!(error_of(res).await, "EnrolmentExpired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_forgets_every_remembered_browser() {
    let t = spawn().await;
    let (alice, app) = user_with_app(&t, "alice").await;
    let (browser, _) = remembered_browser(&t, "alice", &app).await;

    let weak = t
        .post_form(
            &browser,
            "/api/change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "password1"),
            ],
        )
        .await;
    assert_eq!(error_of(weak).await, "Invalid");
    let wrong = t
        .post_form(
            &browser,
            "/api/change_password",
            &[
                ("current_password", "nope nope"),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    let body: serde_json::Value = wrong.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "current_password");
    let ok = t
        .post_form(
            &browser,
            "/api/change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert!(
        audit::actions_for(&t.app.state.db, alice)
            .await
            .unwrap()
            .contains(&"password.changed".to_owned())
    );
    assert_eq!(
        outbox::subjects_for(&t.app.state.db, alice)
            .await
            .unwrap()
            .last()
            .unwrap(),
        "Your password was changed"
    );

    t.post_form(&browser, "/api/sign_out", &[]).await;
    t.sign_in_as(&browser, "alice", "a brand new passphrase")
        .await;
    assert!(
        t.whoami(&browser).await.is_null(),
        "the remembered browser must verify again"
    );
    assert_eq!(latest_code(&t).await, ResultCode::OATHCodePending.code());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_at_sign_in_may_take_as_long_as_an_enrolment_but_no_longer() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    set_state(&t, "alice", MfaState::Enforced).await;
    password_step(&t, &t.client, "alice").await;
    t.clock.advance_secs(8 * 60);
    let res = t
        .post_form(&t.client, "/api/begin_authenticator", &[("name", "Phone")])
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "8 minutes in, registration still works"
    );
    t.clock.advance_secs(3 * 60);
    let res = t
        .post_form(&t.client, "/api/begin_authenticator", &[("name", "Phone")])
        .await;
    assert_eq!(error_of(res).await, "NotSignedIn");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_step_checks_that_policy_still_allows_the_method() {
    let t = spawn().await;
    let (_, app) = user_with_app(&t, "alice").await;
    let browser = new_client();
    password_step(&t, &browser, "alice").await;
    app::services::portal_settings::set(
        &t.app.state.db,
        "allowed_methods",
        "app_notification, sms",
        t.clock_now(),
        &Actor::System("test"),
        None,
    )
    .await
    .unwrap()
    .unwrap();
    t.clock.advance_secs(30);
    let code = code_at(&app.secret, t.clock_now(), 0);
    let res = second_step(&t, &browser, app.method_id, &code, false).await;
    assert_eq!(error_of(res).await, "MethodNotAllowed");
    assert!(t.whoami(&browser).await.is_null());
}
