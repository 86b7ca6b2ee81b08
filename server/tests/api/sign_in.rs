use crate::helpers::{PASSWORD, new_client, spawn, spawn_with};
use app::domain::{ResultCode, Role};
use app::store::testing::sign_in_events;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_right_password_signs_in_and_lands_on_my_account() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    let res = t.sign_in_as(&t.client, "alice", PASSWORD).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    assert_eq!(t.whoami(&t.client).await["username"], "alice");
    let page = t.get(&t.client, "/account").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("My account") && html.contains("Test alice"),
        "{html}"
    );
    assert!(html.contains("This is your first sign-in."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usernames_are_matched_without_regard_to_case_or_spaces() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    t.sign_in_as(&t.client, "  ALICE ", PASSWORD).await;
    assert_eq!(t.whoami(&t.client).await["username"], "alice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    let wrong = t.sign_in_as(&t.client, "alice", "not the password").await;
    let unknown = t.sign_in_as(&t.client, "nobody", "not the password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status(), unknown.status());
    assert_eq!(wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert!(t.whoami(&t.client).await.is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_fields_are_reported_against_the_field() {
    let t = spawn().await;
    let res = t.sign_in_as(&t.client, "", "whatever").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "username");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_attempt_is_recorded_with_its_result_code() {
    let t = spawn().await;
    let alice = t.create_user("alice", Role::User).await;
    t.sign_in_as(&t.client, "ghost\r\nadmin signed in", "x-password-x")
        .await;
    t.sign_in_as(&t.client, "alice", "not the password").await;
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let events = sign_in_events::latest(&t.app.state.db, 10).await.unwrap();
    let codes: Vec<i64> = events.iter().rev().map(|e| e.result_code).collect();
    assert_eq!(
        codes,
        [
            ResultCode::UserNotFound,
            ResultCode::PasswordIncorrect,
            ResultCode::PasswordVerified
        ]
        .map(|c| c.code())
    );
    let unknown = events.last().unwrap();
    assert_eq!(unknown.user_id, None);
    assert_eq!(unknown.username_typed, "ghost\\r\\nadmin signed in");
    assert_eq!(unknown.ip, "127.0.0.1");
    assert_eq!(unknown.auth_type, "browser");
    assert!(!unknown.succeeded);
    assert!(events[0].succeeded);
    assert_eq!(events[0].user_id, Some(alice.0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_failures_lock_the_account_until_the_period_ends() {
    let t = spawn().await;
    let alice = t.create_user("alice", Role::User).await;
    for _ in 0..10 {
        let res = t.sign_in_as(&t.client, "alice", "not the password").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = t.sign_in_as(&t.client, "alice", PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::UNAUTHORIZED);
    assert!(t.whoami(&t.client).await.is_null());
    let latest = sign_in_events::latest(&t.app.state.db, 1).await.unwrap();
    assert_eq!(latest[0].result_code, ResultCode::AccountLocked.code());
    let audit = app::store::testing::audit::actions_for(&t.app.state.db, alice)
        .await
        .unwrap();
    assert!(audit.contains(&"account.locked".to_owned()), "{audit:?}");

    t.clock.advance_secs(14 * 60);
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    assert!(t.whoami(&t.client).await.is_null(), "still locked");
    t.clock.advance_secs(60 + 1);
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    assert_eq!(t.whoami(&t.client).await["username"], "alice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_account_answers_exactly_like_a_wrong_password_and_tells_its_owner() {
    let t = spawn_with(|c| c.lockout_threshold = 3).await;
    let alice = t.create_user("alice", Role::User).await;
    t.create_user("bob", Role::User).await;
    for _ in 0..3 {
        t.sign_in_as(&t.client, "alice", "not the password").await;
    }
    let locked = t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let wrong = t.sign_in_as(&t.client, "bob", "not the password").await;
    let unknown = t.sign_in_as(&t.client, "nobody", "not the password").await;
    let answers = [locked, wrong, unknown];
    let statuses: Vec<StatusCode> = answers.iter().map(|r| r.status()).collect();
    assert_eq!(statuses, [StatusCode::UNAUTHORIZED; 3]);
    let mut bodies = Vec::new();
    for res in answers {
        bodies.push(res.text().await.unwrap());
    }
    assert_eq!(bodies[0], bodies[1]);
    assert_eq!(bodies[1], bodies[2]);
    // More attempts while locked do not lock again or mail again.
    t.sign_in_as(&t.client, "alice", "not the password").await;
    let subjects = app::store::testing::outbox::subjects_for(&t.app.state.db, alice)
        .await
        .unwrap();
    let lock_mails = subjects
        .iter()
        .filter(|s| *s == "Your account was locked")
        .count();
    assert_eq!(lock_mails, 1, "{subjects:?}");

    t.clock.advance_secs(15 * 60 + 1);
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let page = t.get(&t.client, "/account").await.text().await.unwrap();
    assert!(
        page.contains("Your account was locked at 2026-11-22 12:00 UTC"),
        "{page}"
    );
    // The next sign-in is after the lock: nothing more to tell.
    t.clock.advance_secs(60);
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let again = t.get(&t.client, "/account").await.text().await.unwrap();
    assert!(!again.contains("Your account was locked"), "told once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_passwords_are_evaluated_at_most_up_to_the_limit() {
    let t = spawn_with(|c| {
        c.lockout_threshold = 5;
        c.sign_in_per_ip_per_minute = 1000;
    })
    .await;
    let alice = t.create_user("alice", Role::User).await;
    let attempts = (0..40).map(|_| {
        let client = new_client();
        let t = &t;
        async move {
            t.sign_in_as(&client, "alice", "not the password")
                .await
                .status()
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED));
    let events = sign_in_events::latest(&t.app.state.db, 100).await.unwrap();
    let evaluated = events
        .iter()
        .filter(|e| e.user_id == Some(alice.0))
        .filter(|e| e.result_code == ResultCode::PasswordIncorrect.code())
        .count();
    assert!(
        evaluated <= 5,
        "{evaluated} passwords checked past a limit of 5"
    );
    assert_eq!(events.len(), 40);
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    assert!(
        t.whoami(&t.client).await.is_null(),
        "locked after the burst"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_lockout_lasts_twice_as_long() {
    let t = spawn_with(|c| c.lockout_threshold = 3).await;
    t.create_user("alice", Role::User).await;
    for _ in 0..3 {
        t.sign_in_as(&t.client, "alice", "not the password").await;
    }
    t.clock.advance_secs(15 * 60 + 1);
    for _ in 0..3 {
        t.sign_in_as(&t.client, "alice", "not the password").await;
    }
    t.clock.advance_secs(15 * 60 + 1);
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    assert!(t.whoami(&t.client).await.is_null(), "still locked");
    t.clock.advance_secs(15 * 60);
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    assert_eq!(t.whoami(&t.client).await["username"], "alice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_success_resets_the_failure_count() {
    let t = spawn_with(|c| c.lockout_threshold = 3).await;
    t.create_user("alice", Role::User).await;
    for _ in 0..2 {
        t.sign_in_as(&t.client, "alice", "not the password").await;
    }
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    for _ in 0..2 {
        t.sign_in_as(&new_client(), "alice", "not the password")
            .await;
    }
    let browser = new_client();
    t.sign_in_as(&browser, "alice", PASSWORD).await;
    assert_eq!(t.whoami(&browser).await["username"], "alice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_is_limited_to_the_configured_attempts_per_minute() {
    let t = spawn_with(|c| c.sign_in_per_ip_per_minute = 3).await;
    for _ in 0..3 {
        assert_eq!(
            t.sign_in_as(&t.client, "nobody", "whatever pw")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = t.sign_in_as(&t.client, "nobody", "whatever pw").await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let latest = sign_in_events::latest(&t.app.state.db, 1).await.unwrap();
    assert_eq!(
        latest[0].result_code,
        ResultCode::TooManyAttemptsFromAddress.code()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hash_with_outdated_parameters_is_replaced_at_sign_in() {
    use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
    let t = spawn().await;
    let alice = t.create_user("alice", Role::User).await;
    let weak = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(4096, 1, 1, None).unwrap(),
    );
    let old_hash = weak
        .hash_password(PASSWORD.as_bytes(), &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
    app::store::users::replace_password_hash(&t.app.state.db, alice, &old_hash)
        .await
        .unwrap();

    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    assert_eq!(t.whoami(&t.client).await["username"], "alice");
    let row = app::store::users::find_by_id(&t.app.state.db, alice)
        .await
        .unwrap()
        .unwrap();
    assert!(
        row.password_hash
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{}",
        row.password_hash
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_user_cannot_sign_in_even_with_the_right_password() {
    let t = spawn().await;
    let alice = t.create_user("alice", Role::User).await;
    sqlx::query("UPDATE users SET blocked_at = $1 WHERE id = $2")
        .bind(crate::helpers::START_TIME)
        .bind(alice.0)
        .execute(t.app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(
        t.sign_in_as(&t.client, "alice", PASSWORD).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.sign_in_as(&t.client, "alice", "wrong password")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let latest = sign_in_events::latest(&t.app.state.db, 2).await.unwrap();
    assert_eq!(latest[1].result_code, ResultCode::UserIsBlocked.code());
}

/// Starts `mfa-portal serve` as its own process on the same database and returns
/// it with its address (read from its first log line).
fn second_portal_process(database_url: &str, per_minute: &str) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mfa-portal"))
        .args(["--log-json", "serve"])
        .env("MFA_PORTAL_DATABASE_URL", database_url)
        .env(
            "MFA_PORTAL_SECRET_KEY_FILE",
            crate::helpers::test_key_file(),
        )
        .env("MFA_PORTAL_BIND", "127.0.0.1:0")
        .env("MFA_PORTAL_SIGN_IN_PER_IP_PER_MINUTE", per_minute)
        .env_remove("DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stderr = child.stderr.take().unwrap();
    let mut lines = std::io::BufReader::new(stderr).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            let start = line.find("\"addr\":\"")? + 8;
            let end = start + line[start..].find('"')?;
            Some(line[start..end].to_owned())
        })
        .expect("the second portal says where it listens");
    // Keep reading its log so it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, format!("http://{addr}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_per_address_limit_holds_across_two_portal_processes() {
    use app::services::{Clock, SystemClock};
    // Both processes count in the same minute by the real clock: start clear of a
    // minute's end so all eight attempts fall in one window.
    let second = SystemClock.now().rem_euclid(60);
    if second > 45 {
        tokio::time::sleep(std::time::Duration::from_secs((61 - second) as u64)).await;
    }
    let (database_url, _database) = crate::helpers::fresh_database().await;
    let mut config = crate::helpers::test_config(database_url.clone());
    config.sign_in_per_ip_per_minute = 4;
    let first = server::startup::build(config).await.unwrap();
    let (mut process, other) = second_portal_process(&database_url, "4");
    let client = new_client();
    let mut statuses = Vec::new();
    for i in 0..8 {
        let base = if i % 2 == 0 {
            first.url()
        } else {
            other.clone()
        };
        let res = client
            .post(format!("{base}/api/sign_in"))
            .header("origin", &base)
            .form(&[("username", "nobody"), ("password", "whatever pw")])
            .send()
            .await
            .unwrap();
        statuses.push(res.status());
    }
    process.kill().unwrap();
    process.wait().unwrap();
    first.stop().await.unwrap();
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(limited, 4, "{statuses:?}");
}
