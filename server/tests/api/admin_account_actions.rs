//! An admin's actions on one account, over HTTP as the person page posts them:
//! each takes effect where it matters (sign-in, sessions, methods) and is audited.

use crate::helpers::{PASSWORD, TestApp, new_client, spawn};
use crate::totp_helpers::{code_at, error_of, password_step, second_step, user_with_app};
use app::domain::{ResultCode, Role};
use app::store::UserId;
use futures_util::future::join_all;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

async fn admin(t: &TestApp, username: &str) -> Client {
    t.create_user(username, Role::Admin).await;
    let client = new_client();
    t.sign_in_as(&client, username, PASSWORD).await;
    client
}

async fn act(t: &TestApp, admin: &Client, user: UserId, action: &str) -> Response {
    let id = user.0.to_string();
    t.post_form(
        admin,
        "/api/admin_account_action",
        &[("user_id", &id), ("action", action)],
    )
    .await
}

async fn ok(res: Response) -> Response {
    let status = res.status();
    assert_eq!(status, StatusCode::OK, "{}", res.text().await.unwrap());
    res
}

/// (actor, action label, detail) of the audit entries about `user`, oldest first.
async fn audit_of(t: &TestApp, user: UserId) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT actor_label, action, detail FROM audit_log WHERE subject_user_id = $1 ORDER BY id",
    )
    .bind(user.0)
    .fetch_all(t.app.state.db.pool())
    .await
    .unwrap()
}

async fn actions_by(t: &TestApp, user: UserId, actor: &str) -> Vec<String> {
    audit_of(t, user)
        .await
        .into_iter()
        .filter(|(who, _, _)| who == actor)
        .map(|(_, action, _)| action)
        .collect()
}

async fn latest_code(t: &TestApp, user: UserId) -> i64 {
    sqlx::query_scalar("SELECT result_code FROM sign_in_events WHERE user_id = $1 ORDER BY id DESC")
        .bind(user.0)
        .fetch_one(t.app.state.db.pool())
        .await
        .unwrap()
}

async fn mails_to(t: &TestApp, user: UserId) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT subject FROM outbox WHERE user_id = $1 AND channel = 'email' ORDER BY id",
    )
    .bind(user.0)
    .fetch_all(t.app.state.db.pool())
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lock_disable_and_sign_out_take_effect_at_once_and_are_audited() {
    let t = spawn().await;
    let root = admin(&t, "root").await;
    let dana = t.create_user("dana", Role::User).await;
    let dana_browser = new_client();
    t.sign_in_as(&dana_browser, "dana", PASSWORD).await;
    assert_eq!(t.whoami(&dana_browser).await["username"], "dana");

    ok(act(&t, &root, dana, "sign_out_everywhere").await).await;
    assert!(t.whoami(&dana_browser).await.is_null(), "signed out");

    ok(act(&t, &root, dana, "lock").await).await;
    ok(act(&t, &root, dana, "lock").await).await; // already locked: nothing new
    let refused = t.sign_in_as(&new_client(), "dana", PASSWORD).await;
    assert_eq!(
        refused.status(),
        StatusCode::UNAUTHORIZED,
        "locked looks like a wrong password"
    );
    assert_eq!(
        latest_code(&t, dana).await,
        ResultCode::AccountLocked.code()
    );
    // A week later it is still locked: only an admin unlocks it.
    t.clock.advance_secs(7 * 86_400);
    let root = admin(&t, "root2").await;
    let res = t.sign_in_as(&new_client(), "dana", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    ok(act(&t, &root, dana, "unlock").await).await;
    t.sign_in_as(&dana_browser, "dana", PASSWORD).await;
    assert_eq!(
        t.whoami(&dana_browser).await["username"],
        "dana",
        "signs in again"
    );

    ok(act(&t, &root, dana, "disable").await).await;
    assert!(t.whoami(&dana_browser).await.is_null(), "session ended");
    let res = t.sign_in_as(&new_client(), "dana", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(res.json::<Value>().await.unwrap(), "AccountDisabled");
    assert_eq!(latest_code(&t, dana).await, ResultCode::UserDisabled.code());
    let wrong = t
        .sign_in_as(&new_client(), "dana", "not the password")
        .await;
    assert_eq!(
        wrong.status(),
        StatusCode::UNAUTHORIZED,
        "no hint without the password"
    );
    ok(act(&t, &root, dana, "enable").await).await;
    t.sign_in_as(&dana_browser, "dana", PASSWORD).await;
    assert_eq!(t.whoami(&dana_browser).await["username"], "dana");

    let mut expected: Vec<String> = ["sessions.signed_out", "account.locked"]
        .map(String::from)
        .to_vec();
    assert_eq!(actions_by(&t, dana, "root").await, expected);
    expected = ["account.unlocked", "account.disabled", "account.enabled"]
        .map(String::from)
        .to_vec();
    assert_eq!(actions_by(&t, dana, "root2").await, expected);

    let bad = act(&t, &root, dana, "delete").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let missing = act(&t, &root, UserId(999_999), "lock").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn re_registration_removes_what_the_person_set_up_and_they_register_at_next_sign_in() {
    let t = spawn().await;
    let (dana, _app) = user_with_app(&t, "dana").await;
    let created = t
        .post_form(&t.client, "/api/create_app_password", &[("name", "Mail")])
        .await;
    assert_eq!(
        created.status(),
        StatusCode::OK,
        "{}",
        created.text().await.unwrap()
    );
    let root = admin(&t, "root").await;

    let res = ok(act(&t, &root, dana, "require_reregistration").await).await;
    drop(res);
    assert!(t.whoami(&t.client).await.is_null(), "signed out");
    let methods: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mfa_methods WHERE user_id = $1")
        .bind(dana.0)
        .fetch_one(t.app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(methods, 0);
    let live_app_passwords: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM app_passwords WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(dana.0)
    .fetch_one(t.app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(live_app_passwords, 0);
    let audit = audit_of(&t, dana).await;
    let (actor, _, detail) = audit
        .iter()
        .find(|(_, action, _)| action == "mfa.reregistration_required")
        .expect("audited");
    assert_eq!(actor, "root");
    assert!(
        detail.starts_with("removed 1 method(s) (Phone), 1 app password(s)"),
        "{detail}"
    );
    assert!(
        mails_to(&t, dana)
            .await
            .contains(&"Register your sign-in methods again".to_owned())
    );

    let res = password_step(&t, &new_client(), "dana").await;
    assert_eq!(res.headers()["location"], "/sign-in/register");
    assert_eq!(
        latest_code(&t, dana).await,
        ResultCode::UserIncomplete.code()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_password_is_shown_once_and_replaced_at_the_next_sign_in() {
    let t = spawn().await;
    let (dana, app) = user_with_app(&t, "dana").await;
    let root = admin(&t, "root").await;
    let id = dana.0.to_string();
    let res = ok(t
        .post_form(&root, "/api/admin_reset_password", &[("user_id", &id)])
        .await)
    .await;
    let temporary: String = res.json().await.unwrap();
    assert_eq!(temporary.len(), 24, "five groups of four");
    assert!(t.whoami(&t.client).await.is_null(), "every session ended");
    assert_eq!(
        t.sign_in_as(&new_client(), "dana", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED,
        "the old password is gone"
    );

    let browser = new_client();
    let res = t.sign_in_as(&browser, "dana", &temporary).await;
    assert_eq!(res.headers()["location"], "/sign-in/new-password");
    assert_eq!(
        latest_code(&t, dana).await,
        ResultCode::PINExpiredAndNotChanged.code()
    );
    assert!(t.whoami(&browser).await.is_null(), "not signed in yet");
    assert_eq!(
        t.post_form(&browser, "/api/account_overview", &[])
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let weak = t
        .post_form(
            &browser,
            "/api/set_new_password",
            &[("new_password", "dana")],
        )
        .await;
    assert_eq!(weak.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        weak.json::<Value>().await.unwrap()["Invalid"]["field"],
        "new_password"
    );
    let chosen = "a sentence only dana knows";
    let res = t
        .post_form(
            &browser,
            "/api/set_new_password",
            &[("new_password", chosen)],
        )
        .await;
    assert_eq!(
        res.headers()["location"],
        "/sign-in/verify",
        "then the second step"
    );
    t.clock.advance_secs(30);
    let code = code_at(&app.secret, t.clock_now(), 0);
    let res = second_step(&t, &browser, app.method_id, &code, false).await;
    assert!(res.status().is_redirection() || res.status().is_success());
    assert_eq!(t.whoami(&browser).await["username"], "dana");

    // Used up: the temporary password no longer works, nor the page's step.
    assert_eq!(
        t.sign_in_as(&new_client(), "dana", &temporary)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let again = t
        .post_form(
            &browser,
            "/api/set_new_password",
            &[("new_password", "another long phrase")],
        )
        .await;
    assert_eq!(error_of(again).await, "SignInExpired");
    let actions = actions_by(&t, dana, "root").await;
    assert_eq!(actions, ["password.reset"]);
    assert!(
        audit_of(&t, dana)
            .await
            .iter()
            .any(|(who, action, _)| who == "dana" && action == "password.changed")
    );
    assert!(
        mails_to(&t, dana)
            .await
            .contains(&"An administrator reset your password".to_owned())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bypass_skips_one_second_step_within_its_time_and_is_recorded_with_code_7() {
    let t = spawn().await;
    let (dana, _app) = user_with_app(&t, "dana").await;
    let root = admin(&t, "root").await;
    let id = dana.0.to_string();
    let grant = |seconds: &'static str, reason: &'static str| {
        let id = id.clone();
        let root = root.clone();
        let t = &t;
        async move {
            t.post_form(
                &root,
                "/api/admin_grant_bypass",
                &[("user_id", &id), ("seconds", seconds), ("reason", reason)],
            )
            .await
        }
    };
    let bad = grant("5", "ticket 42").await;
    assert_eq!(
        bad.json::<Value>().await.unwrap()["Invalid"]["field"],
        "seconds"
    );
    let bad = grant("300", "").await;
    assert_eq!(
        bad.json::<Value>().await.unwrap()["Invalid"]["field"],
        "reason"
    );

    ok(grant("300", "ticket 42: phone at home").await).await;
    // Ten parallel sign-ins: exactly one skips the second step.
    let browsers: Vec<Client> = (0..10).map(|_| new_client()).collect();
    let answers = join_all(browsers.iter().map(|b| password_step(&t, b, "dana"))).await;
    let skipped = answers
        .iter()
        .filter(|res| res.headers()["location"] != "/sign-in/verify")
        .count();
    assert_eq!(skipped, 1);
    let codes: Vec<i64> = sqlx::query_scalar(
        "SELECT result_code FROM sign_in_events WHERE user_id = $1 AND result_code = 7",
    )
    .bind(dana.0)
    .fetch_all(t.app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(codes, [ResultCode::BypassedAuth.code()]);

    // An unused bypass runs out.
    ok(grant("60", "ticket 43").await).await;
    t.clock.advance_secs(61);
    let root = admin(&t, "root2").await;
    drop(root);
    let res = password_step(&t, &new_client(), "dana").await;
    assert_eq!(res.headers()["location"], "/sign-in/verify");
    let audit = audit_of(&t, dana).await;
    let granted: Vec<&str> = audit
        .iter()
        .filter(|(_, action, _)| action == "mfa.bypass_granted")
        .map(|(_, _, detail)| detail.as_str())
        .collect();
    assert_eq!(granted.len(), 2);
    assert!(
        granted[0].ends_with("(300 s): ticket 42: phone at home"),
        "{}",
        granted[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_removes_one_method_and_edits_a_profile() {
    let t = spawn().await;
    let (dana, app) = user_with_app(&t, "dana").await;
    let root = admin(&t, "root").await;
    let id = dana.0.to_string();
    let method = app.method_id.to_string();
    ok(t.post_form(
        &root,
        "/api/admin_remove_method",
        &[("user_id", &id), ("method_id", &method)],
    )
    .await)
    .await;
    let again = t
        .post_form(
            &root,
            "/api/admin_remove_method",
            &[("user_id", &id), ("method_id", &method)],
        )
        .await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    assert!(
        mails_to(&t, dana)
            .await
            .contains(&"A sign-in method was removed from your account".to_owned())
    );

    let edit = |name: &'static str, email: &'static str, role: &'static str| {
        let id = id.clone();
        let root = root.clone();
        let t = &t;
        async move {
            t.post_form(
                &root,
                "/api/admin_edit_profile",
                &[
                    ("user_id", &id),
                    ("display_name", name),
                    ("email", email),
                    ("role", role),
                ],
            )
            .await
        }
    };
    let bad = edit("Dana", "not an address", "user").await;
    assert_eq!(
        bad.json::<Value>().await.unwrap()["Invalid"]["field"],
        "email"
    );
    let bad = edit("", "dana@example.org", "user").await;
    assert_eq!(
        bad.json::<Value>().await.unwrap()["Invalid"]["field"],
        "display_name"
    );
    ok(edit("Dana Scully", "dana@example.org", "helpdesk").await).await;
    let row = app::store::users::find_by_id(&t.app.state.db, dana)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.display_name.as_str(), row.email.as_str(), row.role),
        ("Dana Scully", "dana@example.org", Role::Helpdesk)
    );
    let audit = audit_of(&t, dana).await;
    let (_, _, detail) = audit.iter().find(|(_, a, _)| a == "user.profile").unwrap();
    assert_eq!(
        detail,
        "name \"Test dana\" -> \"Dana Scully\"; e-mail dana@example.com -> dana@example.org; role user -> helpdesk"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_creates_a_person_whose_first_password_must_be_replaced() {
    let t = spawn().await;
    let root = admin(&t, "root").await;
    let create = |username: &'static str, email: &'static str| {
        let root = root.clone();
        let t = &t;
        async move {
            t.post_form(
                &root,
                "/api/admin_create_person",
                &[
                    ("username", username),
                    ("display_name", "Erin Example"),
                    ("email", email),
                    ("role", "user"),
                    ("mfa_state", "enabled"),
                ],
            )
            .await
        }
    };
    let bad = create("erin", "erin").await;
    assert_eq!(
        bad.json::<Value>().await.unwrap()["Invalid"]["field"],
        "email"
    );
    let bad = create("x", "erin@example.com").await;
    assert_eq!(
        bad.json::<Value>().await.unwrap()["Invalid"]["field"],
        "username"
    );

    // Twenty creations of one name at once: one account, nineteen told it is taken.
    let answers = join_all((0..20).map(|_| create("erin", "erin@example.com"))).await;
    let mut created = Vec::new();
    for answer in answers {
        match answer.status() {
            StatusCode::OK => created.push(answer.json::<Value>().await.unwrap()),
            StatusCode::BAD_REQUEST => {
                let body: Value = answer.json().await.unwrap();
                assert_eq!(body["Invalid"]["field"], "username");
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(created.len(), 1);
    let first_password = created[0]["first_password"].as_str().unwrap().to_owned();
    let browser = new_client();
    let res = t.sign_in_as(&browser, "erin", &first_password).await;
    assert_eq!(res.headers()["location"], "/sign-in/new-password");
    let res = t
        .post_form(
            &browser,
            "/api/set_new_password",
            &[("new_password", "erin's own long phrase")],
        )
        .await;
    // Enabled without a method: registration comes next.
    assert_eq!(res.headers()["location"], "/sign-in/register");
    let erin = UserId(created[0]["id"].as_i64().unwrap());
    let audit = audit_of(&t, erin).await;
    assert_eq!(audit[0].0, "root");
    assert_eq!(audit[0].1, "user.created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dangerous_actions_wait_for_the_admins_verification_and_other_roles_are_refused() {
    let t = spawn().await;
    let dana = t.create_user("dana", Role::User).await;
    let root = admin(&t, "root").await;
    let id = dana.0.to_string();
    for role in [Role::User, Role::Helpdesk] {
        let name = format!("{}-person", role.as_str());
        t.create_user(&name, role).await;
        let other = new_client();
        t.sign_in_as(&other, &name, PASSWORD).await;
        for action in ["lock", "disable"] {
            assert_eq!(
                act(&t, &other, dana, action).await.status(),
                StatusCode::FORBIDDEN
            );
        }
        let res = t
            .post_form(&other, "/api/admin_reset_password", &[("user_id", &id)])
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }

    t.clock.advance_secs(11 * 60);
    for action in ["disable", "unlock", "enable", "require_reregistration"] {
        let res = act(&t, &root, dana, action).await;
        assert_eq!(error_of(res).await, "ReauthenticationRequired", "{action}");
    }
    let forms: [(&str, Vec<(&str, &str)>); 4] = [
        ("/api/admin_reset_password", vec![("user_id", &id)]),
        (
            "/api/admin_grant_bypass",
            vec![("user_id", &id), ("seconds", "300"), ("reason", "ticket")],
        ),
        (
            "/api/admin_edit_profile",
            vec![
                ("user_id", &id),
                ("display_name", "D"),
                ("email", "d@example.com"),
                ("role", "admin"),
            ],
        ),
        (
            "/api/admin_create_person",
            vec![
                ("username", "mallory"),
                ("display_name", "M"),
                ("email", "m@example.com"),
                ("role", "admin"),
                ("mfa_state", "disabled"),
            ],
        ),
    ];
    for (path, form) in &forms {
        let res = t.post_form(&root, path, form).await;
        assert_eq!(error_of(res).await, "ReauthenticationRequired", "{path}");
    }
    // Protective actions do not wait.
    for action in [
        "lock",
        "sign_out_everywhere",
        "forget_browsers",
        "cancel_bypass",
    ] {
        ok(act(&t, &root, dana, action).await).await;
    }
    let actions = actions_by(&t, dana, "root").await;
    assert_eq!(actions, ["account.locked", "sessions.signed_out"]);
}

/// Five admins each demote or disable all the others at once: some succeed, but
/// never all, on either engine.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_active_admin_stays_whatever_happens_at_once() {
    let t = spawn().await;
    let names = ["adm1", "adm2", "adm3", "adm4", "adm5"];
    let mut admins = Vec::new();
    for name in names {
        let id = t.create_user(name, Role::Admin).await;
        let client = new_client();
        t.sign_in_as(&client, name, PASSWORD).await;
        admins.push((id, client));
    }
    let mut requests = Vec::new();
    for (n, (_, client)) in admins.iter().enumerate() {
        for (m, (target, _)) in admins.iter().enumerate() {
            if n == m {
                continue;
            }
            let id = target.0.to_string();
            let t = &t;
            requests.push(async move {
                if (n + m) % 2 == 0 {
                    t.post_form(
                        client,
                        "/api/admin_edit_profile",
                        &[
                            ("user_id", id.as_str()),
                            ("display_name", "Demoted"),
                            ("email", "demoted@example.com"),
                            ("role", "user"),
                        ],
                    )
                    .await
                } else {
                    t.post_form(
                        client,
                        "/api/admin_account_action",
                        &[("user_id", id.as_str()), ("action", "disable")],
                    )
                    .await
                }
            });
        }
    }
    let answers = join_all(requests).await;
    for answer in answers {
        let status = answer.status();
        assert!(
            [
                StatusCode::OK,
                StatusCode::CONFLICT,
                StatusCode::FORBIDDEN,
                StatusCode::UNAUTHORIZED
            ]
            .contains(&status),
            "{status}"
        );
    }
    let active_admins: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL",
    )
    .fetch_one(t.app.state.db.pool())
    .await
    .unwrap();
    assert!(active_admins >= 1, "{active_admins}");

    // One of those left disables the others; then it cannot disable itself.
    let left: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id",
    )
    .fetch_all(t.app.state.db.pool())
    .await
    .unwrap();
    let (survivor, client) = admins.iter().find(|(id, _)| id.0 == left[0]).unwrap();
    for other in &left[1..] {
        ok(act(&t, client, UserId(*other), "disable").await).await;
    }
    let res = act(&t, client, *survivor, "disable").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(res.json::<Value>().await.unwrap(), "LastAdmin");
}

/// Entra's per-user MFA: enabled without a method registers at the next sign-in,
/// and registering moves the state to enforced unless the policy says otherwise.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enabled_person_registers_at_sign_in_and_the_policy_then_enforces() {
    use crate::totp_helpers::enrol;
    use app::domain::MfaState;
    use app::services::audit::Actor;
    use app::services::portal_settings::{self, ENFORCE_AFTER_REGISTRATION};
    let t = spawn().await;
    let state_of = |user: UserId| {
        let t = &t;
        async move {
            app::store::users::find_by_id(&t.app.state.db, user)
                .await
                .unwrap()
                .unwrap()
                .mfa_state
        }
    };
    let alice = t.create_user("alice", Role::User).await;
    t.mfa_on(alice).await;
    let res = password_step(&t, &t.client, "alice").await;
    assert_eq!(res.headers()["location"], "/sign-in/register");
    assert!(t.whoami(&t.client).await.is_null());
    enrol(&t, &t.client, "Phone").await;
    assert_eq!(t.whoami(&t.client).await["username"], "alice");
    assert_eq!(state_of(alice).await, MfaState::Enforced);
    assert!(audit_of(&t, alice).await.contains(&(
        "policy: enforce after registration".to_owned(),
        "user.mfa_state".to_owned(),
        "MFA state enabled -> enforced (a method was registered)".to_owned()
    )));

    let now = t.clock_now();
    portal_settings::set(
        &t.app.state.db,
        ENFORCE_AFTER_REGISTRATION,
        "false",
        now,
        &Actor::System("test"),
        None,
    )
    .await
    .unwrap()
    .unwrap();
    let bob = t.create_user("bob", Role::User).await;
    t.mfa_on(bob).await;
    let browser = new_client();
    password_step(&t, &browser, "bob").await;
    enrol(&t, &browser, "Phone").await;
    assert_eq!(state_of(bob).await, MfaState::Enabled);
}

/// Seed 003: a phone the organisation set lets a person with MFA on sign in with a
/// code on it at once, without typing a number or registering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_set_by_the_admin_is_asked_for_at_the_first_sign_in() {
    use crate::phone_helpers::{second_step_view, spawn_dev};
    // The development phone provider, so that texts and calls are offered.
    let t = spawn_dev().await;
    let dana = t.create_user("dana", Role::User).await;
    t.mfa_on(dana).await;
    let root = admin(&t, "root").await;
    let id = dana.0.to_string();
    let set = |number: &'static str, phone_type: &'static str, use_for: &'static str| {
        let id = id.clone();
        let root = root.clone();
        let t = &t;
        async move {
            t.post_form(
                &root,
                "/api/admin_set_org_phone",
                &[
                    ("user_id", &id),
                    ("number", number),
                    ("phone_type", phone_type),
                    ("use_for", use_for),
                ],
            )
            .await
        }
    };
    for (number, phone_type, use_for, field) in [
        ("+31 20 1234567", "office", "sms", "use_for"),
        ("+31 20 1234567", "mobile", "sms", "number"),
        ("12", "mobile", "sms", "number"),
        ("+31 6 12345678", "fax", "sms", "phone_type"),
    ] {
        let res = set(number, phone_type, use_for).await;
        assert_eq!(
            res.status(),
            StatusCode::BAD_REQUEST,
            "{number} {phone_type} {use_for}"
        );
        assert_eq!(
            res.json::<Value>().await.unwrap()["Invalid"]["field"],
            field
        );
    }
    ok(set("+31 6 12345678", "mobile", "sms").await).await;
    // The same type again replaces it.
    ok(set("+31 6 87654321", "mobile", "sms").await).await;

    let browser = new_client();
    let res = password_step(&t, &browser, "dana").await;
    assert_eq!(res.headers()["location"], "/sign-in/verify");
    let view = second_step_view(&t, &browser).await;
    let phones = view["phones"].as_array().unwrap();
    assert_eq!(phones.len(), 1, "{view}");
    assert_eq!(phones[0]["sms"], true);

    let person: Value = t
        .post_form(&root, "/api/admin_person", &[("user_id", &id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(person["phones"][0]["number"], "+31 6 87654321");
    assert_eq!(person["phones"][0]["set_by_org"], true);
    let audit = audit_of(&t, dana).await;
    assert!(audit.iter().any(|(who, action, detail)| who == "root"
        && action == "phone.set_by_org"
        && detail == "Mobile phone set to +31 6 87654321; sign-in starts with Text a code to my phone"), "{audit:?}");

    // Numbers from countries the policy does not allow are refused.
    let now = t.clock_now();
    app::services::portal_settings::set(
        &t.app.state.db,
        "phone_regions",
        "BE",
        now,
        &app::services::audit::Actor::System("test"),
        None,
    )
    .await
    .unwrap()
    .unwrap();
    let res = set("+31 6 12345678", "mobile", "sms").await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["Invalid"]["field"],
        "number"
    );
}
