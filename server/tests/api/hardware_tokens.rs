//! OATH hardware tokens: the seed file sealed on upload, assignment with one code,
//! sign-in with a time-based and a counter-based token, the look-ahead window,
//! replays, resynchronisation by two consecutive codes, and the counter under
//! parallel use.

use crate::helpers::{PASSWORD, TestApp, new_client, spawn, spawn_with};
use crate::import::upload_to;
use crate::totp_helpers::{code_at, error_of, password_step, second_step};
use app::domain::Role;
use app::services::otp::totp::{Algorithm, hotp};
use futures_util::future::join_all;
use reqwest::{Client, StatusCode};
use serde_json::Value;

/// RFC 4226's test seed, "12345678901234567890", as hex and as base32.
const SEED: &[u8] = b"12345678901234567890";
const SEED_HEX: &str = "3132333435363738393031323334353637383930";
const SEED_BASE32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn hotp_code(counter: u64) -> String {
    format!("{:06}", hotp(SEED, counter, 6, Algorithm::Sha1))
}

async fn admin(t: &TestApp) -> Client {
    t.create_user("root", Role::Admin).await;
    let client = new_client();
    t.sign_in_as(&client, "root", PASSWORD).await;
    client
}

async fn upload_tokens(t: &TestApp, client: &Client, text: &str) -> Value {
    let res = upload_to(
        t,
        client,
        "/admin/tokens/upload",
        "tokens.csv",
        text.as_bytes(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let import = location
        .strip_prefix("/admin/tokens?import=")
        .expect("the tokens page");
    tokens(t, client, Some(import)).await
}

async fn tokens(t: &TestApp, client: &Client, import: Option<&str>) -> Value {
    let form: Vec<(&str, &str)> = import.map(|id| ("import", id)).into_iter().collect();
    let res = t.post_form(client, "/api/admin_tokens", &form).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

async fn assign(
    t: &TestApp,
    client: &Client,
    username: &str,
    serial: &str,
    code: &str,
) -> reqwest::Response {
    t.post_form(
        client,
        "/api/admin_assign_token",
        &[("username", username), ("serial", serial), ("code", code)],
    )
    .await
}

async fn method_of(t: &TestApp, serial: &str) -> i64 {
    sqlx::query_scalar("SELECT method_id FROM hardware_tokens WHERE serial = $1")
        .bind(serial)
        .fetch_one(t.app.state.db.pool())
        .await
        .unwrap()
}

/// `username`'s sign-in from a new browser, up to the code.
async fn at_second_step(t: &TestApp, username: &str) -> Client {
    let client = new_client();
    password_step(t, &client, username).await;
    client
}

const FILE: &str = "serial,secret,type,digits,period\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seed_file_is_sealed_on_upload_listed_unassigned_and_never_replaced() {
    let t = spawn().await;
    let root = admin(&t).await;
    let file =
        format!("{FILE}T-1,{SEED_HEX},totp,6,30\nH-1,{SEED_BASE32},hotp,6,\nBAD,zz,totp,6,30\n");
    let view = upload_tokens(&t, &root, &file).await;
    let report = &view["last_import"];
    assert_eq!(
        (
            report["imported"].as_i64(),
            report["already_known"].as_i64()
        ),
        (Some(2), Some(0))
    );
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0]
            .as_str()
            .unwrap()
            .starts_with("Line 4 (BAD): Secret"),
        "{problems:?}"
    );
    let serials: Vec<&str> = view["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["serial"].as_str().unwrap())
        .collect();
    assert_eq!(serials, ["H-1", "T-1"]);
    let sealed: Vec<String> = sqlx::query_scalar("SELECT sealed_secret FROM hardware_tokens")
        .fetch_all(t.app.state.db.pool())
        .await
        .unwrap();
    for seal in &sealed {
        assert!(
            !seal.contains(SEED_HEX) && !seal.contains(SEED_BASE32) && !seal.contains("1234567890")
        );
    }
    // The same file again: known serials stay as they were.
    let again = upload_tokens(&t, &root, &file).await;
    assert_eq!(again["last_import"]["already_known"], 2);
    let after: Vec<String> = sqlx::query_scalar("SELECT sealed_secret FROM hardware_tokens")
        .fetch_all(t.app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(after, sealed);
    // A file without the needed columns is refused with the reason.
    let refused = upload_tokens(&t, &root, "serial,type\nT-9,totp\n").await;
    assert!(
        refused["last_import"]["problems"][0]
            .as_str()
            .unwrap()
            .contains("serial and secret")
    );
    // Only admins upload.
    t.create_user("helpdesk-person", Role::Helpdesk).await;
    let helpdesk = new_client();
    t.sign_in_as(&helpdesk, "helpdesk-person", PASSWORD).await;
    let res = upload_to(
        &t,
        &helpdesk,
        "/admin/tokens/upload",
        "t.csv",
        file.as_bytes(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = t.post_form(&helpdesk, "/api/admin_tokens", &[]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_time_based_token_is_assigned_with_one_code_and_signs_its_person_in() {
    let t = spawn().await;
    let root = admin(&t).await;
    let dana = t.create_user("dana", Role::User).await;
    upload_tokens(&t, &root, &format!("{FILE}T-1,{SEED_HEX},totp,6,30\n")).await;

    let res = assign(&t, &root, "dana", "T-1", "000000").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(crate::totp_helpers::invalid_field(res).await, "code");
    let res = assign(&t, &root, "nobody", "T-1", "000000").await;
    assert_eq!(crate::totp_helpers::invalid_field(res).await, "username");
    let res = assign(&t, &root, "dana", "T-404", "000000").await;
    assert_eq!(crate::totp_helpers::invalid_field(res).await, "serial");

    t.clock.advance_secs(11 * 60);
    let code = code_at(SEED, t.clock_now(), 0);
    let res = assign(&t, &root, "dana", "T-1", &code).await;
    assert_eq!(error_of(res).await, "ReauthenticationRequired");
    let root = new_client();
    t.sign_in_as(&root, "root", PASSWORD).await;
    let res = assign(&t, &root, "dana", "T-1", &code).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let res = assign(&t, &root, "dana", "T-1", &code).await;
    assert_eq!(
        crate::totp_helpers::invalid_field(res).await,
        "serial",
        "assigned once"
    );
    let view = tokens(&t, &root, None).await;
    assert_eq!(view["assigned"][0]["username"], "dana");
    assert_eq!(view["unassigned_total"], 0);
    let audit: (String, String) = sqlx::query_as(
        "SELECT actor_label, detail FROM audit_log WHERE action = 'method.added' AND subject_user_id = $1",
    )
    .bind(dana.0)
    .fetch_one(t.app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(
        audit,
        ("root".to_owned(), "added the hardware token T-1".to_owned())
    );
    // The dashboard counts the token as a token, not as an authenticator app.
    let res = t.post_form(&root, "/api/admin_dashboard", &[]).await;
    let coverage = res.json::<Value>().await.unwrap()["coverage"].clone();
    let bar = |label: &str| {
        coverage
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["label"] == label)
            .map(|b| b["value"].as_i64().unwrap())
    };
    assert_eq!(bar("Hardware token"), Some(1));
    assert_eq!(bar("Authenticator app"), Some(0));

    t.mfa_on(dana).await;
    let method = method_of(&t, "T-1").await;
    let browser = at_second_step(&t, "dana").await;
    let used = second_step(&t, &browser, method, &code, false).await;
    assert_eq!(
        error_of(used).await,
        "CodeAlreadyUsed",
        "the assignment's code is spent"
    );
    t.clock.advance_secs(30);
    let next = code_at(SEED, t.clock_now(), 0);
    let res = second_step(&t, &browser, method, &next, false).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counter_based_token_looks_ahead_refuses_replays_and_is_resynchronised_by_two_codes() {
    let t = spawn().await;
    let root = admin(&t).await;
    let dana = t.create_user("dana", Role::User).await;
    upload_tokens(&t, &root, &format!("{FILE}H-1,{SEED_BASE32},hotp,6,\n")).await;
    let res = assign(&t, &root, "dana", "H-1", &hotp_code(0)).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    t.mfa_on(dana).await;
    let method = method_of(&t, "H-1").await;

    // Presses 1 and 2 were never used: code 3 is within the look-ahead window.
    let browser = at_second_step(&t, "dana").await;
    let res = second_step(&t, &browser, method, &hotp_code(3), false).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let browser = at_second_step(&t, "dana").await;
    let replay = second_step(&t, &browser, method, &hotp_code(3), false).await;
    assert_eq!(error_of(replay).await, "CodeAlreadyUsed");
    let older = second_step(&t, &browser, method, &hotp_code(2), false).await;
    assert_eq!(error_of(older).await, "CodeAlreadyUsed");
    // Pressed 50 times in a drawer: recognised, but too far ahead to accept.
    let ahead = second_step(&t, &browser, method, &hotp_code(60), false).await;
    assert_eq!(error_of(ahead).await, "CodeOutOfDate");
    let recorded: i64 = sqlx::query_scalar(
        "SELECT result_code FROM sign_in_events WHERE user_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(dana.0)
    .fetch_one(t.app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(recorded, 140, "OATH Code Out Of Date");

    let resync = |first: String, second: String| {
        let root = root.clone();
        let t = &t;
        async move {
            t.post_form(
                &root,
                "/api/admin_resync_token",
                &[
                    ("resync_serial", "H-1"),
                    ("first_code", &first),
                    ("second_code", &second),
                ],
            )
            .await
        }
    };
    let res = resync(hotp_code(70), hotp_code(72)).await;
    assert_eq!(
        crate::totp_helpers::invalid_field(res).await,
        "first_code",
        "not consecutive"
    );
    let res = resync(hotp_code(70), hotp_code(71)).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let stale = second_step(&t, &browser, method, &hotp_code(71), false).await;
    assert_eq!(error_of(stale).await, "CodeAlreadyUsed");
    let res = second_step(&t, &browser, method, &hotp_code(72), false).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let entry: String =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'token.resynchronised'")
            .fetch_one(t.app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(entry, "hardware token H-1 resynchronised: counter 4 -> 72");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_counter_based_code_submitted_at_once_from_many_browsers_signs_in_once() {
    let t = spawn_with(|c| c.lockout_threshold = 100).await;
    let root = admin(&t).await;
    let dana = t.create_user("dana", Role::User).await;
    upload_tokens(&t, &root, &format!("{FILE}H-1,{SEED_HEX},hotp,6,\n")).await;
    assert_eq!(
        assign(&t, &root, "dana", "H-1", &hotp_code(0))
            .await
            .status(),
        StatusCode::OK
    );
    t.mfa_on(dana).await;
    let method = method_of(&t, "H-1").await;
    let mut browsers = Vec::new();
    for _ in 0..16 {
        browsers.push(at_second_step(&t, "dana").await);
    }
    let code = hotp_code(1);
    let answers = join_all(
        browsers
            .iter()
            .map(|b| second_step(&t, b, method, &code, false)),
    )
    .await;
    let statuses: Vec<StatusCode> = answers.iter().map(|r| r.status()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    let counter: i64 = sqlx::query_scalar("SELECT counter FROM totp_secrets WHERE method_id = $1")
        .bind(method)
        .fetch_one(t.app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(counter, 2);
}
