//! Every limit under a burst of parallel requests (run on SQLite and PostgreSQL):
//! guesses are counted before they are checked, sends are claimed with their
//! limits, and count-then-insert rules hold while the person's row is held.

use crate::helpers::{PASSWORD, TestApp, new_client, spawn_with};
use crate::phone_helpers::*;
use crate::totp_helpers::{code_at, enrol, error_of, password_step, second_step, user_with_app};
use app::domain::{MfaState, ResultCode, Role};
use app::store::UserId;
use app::store::testing::sign_in_events;
use futures_util::future::join_all;
use reqwest::StatusCode;

/// Sign-in events of `user` with `code`.
async fn events_with(t: &TestApp, user: UserId, code: ResultCode) -> usize {
    sign_in_events::latest(&t.app.state.db, 1000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.user_id == Some(user.0) && e.result_code == code.code())
        .count()
}

/// A six-digit code that is none of the codes the app shows around now.
fn wrong_code(secret: &[u8], now: i64) -> String {
    let near: Vec<String> = (-12..=12).map(|s| code_at(secret, now, s)).collect();
    (0..1000)
        .map(|n| format!("{:06}", n * 7919 % 1_000_000))
        .find(|c| !near.contains(c))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_parallel_wrong_codes_are_evaluated_only_up_to_the_limit() {
    let t = spawn_with(|c| c.lockout_threshold = 10).await;
    let (alice, app) = user_with_app(&t, "alice").await;
    let attacker = new_client();
    password_step(&t, &attacker, "alice").await;
    let wrong = wrong_code(&app.secret, t.clock_now());
    let burst = (0..100).map(|_| second_step(&t, &attacker, app.method_id, &wrong, false));
    let answers = join_all(burst).await;
    assert!(answers.iter().all(|r| r.status() != StatusCode::OK));
    let evaluated = events_with(&t, alice, ResultCode::OATHCodeIncorrect).await;
    assert!(
        (1..=10).contains(&evaluated),
        "{evaluated} codes checked past a limit of 10"
    );
    t.clock.advance_secs(30);
    let right = code_at(&app.secret, t.clock_now(), 0);
    let res = second_step(&t, &attacker, app.method_id, &right, false).await;
    assert_eq!(
        res.status(),
        StatusCode::LOCKED,
        "the right code while locked"
    );
    assert!(t.whoami(&attacker).await.is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_wrong_text_codes_are_evaluated_only_up_to_the_challenge_limit() {
    let t = spawn_dev().await;
    let uma = user_with_phone(&t, "uma").await;
    let browser = new_client();
    password_step(&t, &browser, "uma").await;
    let view = second_step_view(&t, &browser).await;
    let method_id = view["phones"][0]["method_id"].as_i64().unwrap();
    let before = newest_id(&t).await;
    let res = start_second_step(&t, &browser, method_id, "sms").await;
    let challenge: serde_json::Value = res.json().await.unwrap();
    let id = challenge["challenge_id"].as_i64().unwrap().to_string();
    let code = code_in(&newest_message(&t, "sms", MOBILE_E164, before).await.body);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let form = [
        ("challenge_id", id.as_str()),
        ("code", wrong),
        ("purpose", "sign_in"),
    ];
    let burst = (0..50).map(|_| t.post_form(&browser, "/api/verify_phone_sign_in", &form));
    join_all(burst).await;
    let evaluated = events_with(&t, uma, ResultCode::TextMessageOTPIncorrect).await;
    assert!(
        (1..=5).contains(&evaluated),
        "{evaluated} past a limit of 5"
    );
    let right = [
        ("challenge_id", id.as_str()),
        ("code", code.as_str()),
        ("purpose", "sign_in"),
    ];
    let res = t
        .post_form(&browser, "/api/verify_phone_sign_in", &right)
        .await;
    assert_eq!(error_of(res).await, "PhoneTooManyTries");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_resends_send_at_most_three_texts() {
    let t = spawn_with(|c| {
        c.dev = true;
        c.phone_per_number_per_hour = 100;
        c.phone_per_user_per_hour = 100;
    })
    .await;
    let before = newest_id(&t).await;
    let (_, pending) = adding_phone(&t, "sam").await;
    let form = [("challenge_id", pending.id.as_str()), ("purpose", "enrol")];
    let mut accepted = 0;
    for _ in 0..3 {
        t.clock.advance_secs(30);
        let burst = (0..50).map(|_| t.post_form(&t.client, "/api/resend_phone_code", &form));
        accepted += join_all(burst)
            .await
            .iter()
            .filter(|r| r.status() == StatusCode::OK)
            .count();
    }
    assert_eq!(accepted, 2, "two resends after the first text");
    // What reached the phone once the delivery worker is done.
    let delivered = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM dev_phone_messages WHERE id > $1")
            .bind(before)
            .fetch_one(t.app.state.db.pool())
            .await
            .unwrap()
    };
    for _ in 0..100 {
        if delivered().await >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(delivered().await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_parallel_starts_from_one_address_stop_at_its_limit() {
    let t = spawn_with(|c| {
        c.dev = true;
        c.phone_per_number_per_hour = 100;
        c.phone_per_user_per_hour = 100;
        c.phone_per_ip_per_hour = 4;
    })
    .await;
    user_with_phone(&t, "vic").await;
    let browser = new_client();
    password_step(&t, &browser, "vic").await;
    let view = second_step_view(&t, &browser).await;
    let method_id = view["phones"][0]["method_id"].as_i64().unwrap();
    // Adding the phone sent one text from this address already.
    let burst = (0..30).map(|_| start_second_step(&t, &browser, method_id, "sms"));
    let answers = join_all(burst).await;
    let sent = answers
        .iter()
        .filter(|r| r.status() == StatusCode::OK)
        .count();
    let limited = answers
        .iter()
        .filter(|r| r.status() == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(sent, 3, "four per hour from one address, one already used");
    assert_eq!(limited, 27);
    let challenges: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM phone_challenges WHERE purpose = 'sign_in'")
            .fetch_one(t.app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(challenges, 3, "refused starts leave nothing behind");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unknown_name_meets_the_same_api_limit_as_a_known_one() {
    // Behind a proxy, each call from its own address: only the per-account limit
    // (keyed by the name as typed) can refuse them.
    let t = spawn_with(|c| {
        c.api_per_minute = 60;
        c.trust_forwarded_for = true;
    })
    .await;
    t.create_user("alice", Role::User).await;
    let call = |name: &'static str, from: usize| {
        let t = &t;
        async move {
            new_client()
                .post(t.url("/api/v1/app-password/verify"))
                .header("x-forwarded-for", format!("192.0.2.{from}"))
                .basic_auth(name, Some("not an app password"))
                .send()
                .await
                .unwrap()
        }
    };
    let mut limited_answers = Vec::new();
    for name in ["alice", "nobody-here"] {
        let answers = join_all((0..61).map(|i| call(name, i))).await;
        let mut refused = Vec::new();
        for res in answers {
            if res.status() == StatusCode::TOO_MANY_REQUESTS {
                refused.push(res.text().await.unwrap());
            }
        }
        assert_eq!(
            refused.len(),
            1,
            "{name}: the 61st call in a minute is refused"
        );
        limited_answers.push(refused.remove(0));
        t.clock.advance_secs(60);
    }
    assert_eq!(
        limited_answers[0], limited_answers[1],
        "the same 429 for both"
    );
    let known = call("alice", 200).await;
    let unknown = call("nobody-here", 201).await;
    assert_eq!(known.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(known.status(), unknown.status());
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    let events = sign_in_events::latest(&t.app.state.db, 1).await.unwrap();
    assert_eq!(
        events[0].ip, "192.0.2.201",
        "the forwarded address is recorded"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_app_password_creation_stops_at_the_cap() {
    let t = spawn_with(|c| c.app_passwords_max = 3).await;
    let alice = t.create_user("alice", Role::User).await;
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let burst = (0..20).map(|i| {
        let name = format!("App {i}");
        let t = &t;
        async move {
            t.post_form(&t.client, "/api/create_app_password", &[("name", &name)])
                .await
                .status()
        }
    });
    let created = join_all(burst)
        .await
        .iter()
        .filter(|s| **s == StatusCode::OK)
        .count();
    assert_eq!(created, 3);
    let live = app::store::app_passwords::list_live(&t.app.state.db, alice)
        .await
        .unwrap();
    assert_eq!(live.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_enforced_person_keeps_a_method_when_both_are_removed_at_once() {
    let t = spawn_with(|_| {}).await;
    let (alice, first) = user_with_app(&t, "alice").await;
    let second = enrol(&t, &t.client, "Second phone").await;
    app::store::users::set_mfa_state(&t.app.state.db, alice, MfaState::Enforced)
        .await
        .unwrap();
    let remove = |id: i64| {
        let t = &t;
        async move {
            let id = id.to_string();
            t.post_form(&t.client, "/api/remove_method", &[("method_id", &id)])
                .await
                .status()
        }
    };
    let (a, b) = tokio::join!(remove(first.method_id), remove(second.method_id));
    assert!(
        a != StatusCode::OK || b != StatusCode::OK,
        "both removed: {a} {b}"
    );
    let left = app::store::methods::count_for(&t.app.state.db, alice)
        .await
        .unwrap();
    assert_eq!(left, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_parallel_identical_trips_store_one() {
    let t = spawn_dev().await;
    let user = user_with_phone(&t, "xena").await;
    let now = t.clock_now();
    let from = app::services::time_format::utc_day(now + 2 * 86_400);
    let to = app::services::time_format::utc_day(now + 4 * 86_400);
    let burst = (0..20).map(|_| {
        let t = &t;
        let (from, to) = (from.clone(), to.clone());
        async move {
            t.post_form(
                &t.client,
                "/api/add_travel_window",
                &[
                    ("from", &from),
                    ("to", &to),
                    ("travel_method", "sms"),
                    ("note", "Trip"),
                ],
            )
            .await
            .status()
        }
    });
    let stored = join_all(burst)
        .await
        .iter()
        .filter(|s| **s == StatusCode::OK)
        .count();
    assert_eq!(stored, 1);
    let rows: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM travel_windows WHERE user_id = $1 AND cancelled_at IS NULL",
    )
    .bind(user.0)
    .fetch_one(t.app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(rows, 1);
}
