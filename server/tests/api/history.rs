//! My sign-ins: privacy, ordering, filters, keyset paging under concurrent inserts,
//! and the CSV export.

use crate::helpers::{PASSWORD, TestApp, new_client, spawn};
use app::domain::{ResultCode, Role};
use app::store::UserId;
use app::store::sign_in_events::{self, NewSignInEvent};
use app::store::testing::sign_in_events::latest as latest_events;
use reqwest::{Client, StatusCode};
use serde_json::Value;

const FIREFOX_LINUX: &str =
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";

/// Stores an event for `user` at `at` directly, as the sign-in service would.
pub async fn seed_event(t: &TestApp, user: UserId, at: i64, code: ResultCode, ua: &str) -> i64 {
    sign_in_events::insert(
        &t.app.state.db,
        NewSignInEvent {
            occurred_at: at,
            user_id: Some(user),
            username_typed: "seeded",
            ip: "192.0.2.7",
            user_agent: ua,
            auth_type: "browser",
            app_name: "Portal",
            succeeded: code.completes_sign_in(),
            result_code: code,
        },
    )
    .await
    .unwrap()
}

/// One page of history as `client` sees it.
pub async fn history(t: &TestApp, client: &Client, query: &[(&str, &str)]) -> (StatusCode, Value) {
    let res = t.post_form(client, "/api/sign_in_history", query).await;
    let status = res.status();
    (status, res.json().await.unwrap())
}

fn ids(page: &Value) -> Vec<i64> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["id"].as_i64().unwrap())
        .collect()
}

async fn sign_in_with_agent(t: &TestApp, client: &Client, username: &str, password: &str) {
    client
        .post(t.url("/api/sign_in"))
        .headers(t.same_origin())
        .header(reqwest::header::USER_AGENT, FIREFOX_LINUX)
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_user_sees_only_their_own_attempts_newest_first_in_words() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    t.create_user("bob", Role::User).await;
    let bob_browser = new_client();
    sign_in_with_agent(&t, &bob_browser, "bob", "not bob's password").await;
    sign_in_with_agent(&t, &bob_browser, "bob", PASSWORD).await;
    let bob_event = latest_events(&t.app.state.db, 1).await.unwrap();
    assert_eq!(bob_event[0].username_typed, "bob");
    sign_in_with_agent(&t, &t.client, "alice", "wrong password here").await;
    t.clock.advance_secs(60);
    sign_in_with_agent(&t, &t.client, "alice", PASSWORD).await;

    let (status, page) = history(&t, &t.client, &[]).await;
    assert_eq!(status, StatusCode::OK);
    let rows = page["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "alice's two attempts only: {page}");
    assert_eq!(rows[0]["result"], "Success");
    assert_eq!(rows[0]["result_detail"], "1001 Password Verified");
    assert_eq!(rows[1]["result"], "Wrong password");
    assert_eq!(rows[0]["device"], "Firefox on Linux");
    assert_eq!(rows[0]["method"], "Password");
    assert_eq!(rows[0]["app"], "Portal");
    assert_eq!(rows[0]["ip"], "127.0.0.1");
    assert!(page["older"].is_null() && page["newer"].is_null());

    // Bob's event, asked for by id, is not alice's to see or report.
    let bob_id = sqlx::query_scalar::<_, i64>(
        "SELECT MAX(id) FROM sign_in_events WHERE username_typed = 'bob'",
    )
    .fetch_one(t.app.state.db.pool())
    .await
    .unwrap()
    .to_string();
    let res = t
        .post_form(&t.client, "/api/sign_in_event", &[("id", &bob_id)])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = t
        .post_form(&t.client, "/api/report_sign_in", &[("event_id", &bob_id)])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let reports: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fraud_reports")
        .fetch_one(t.app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(reports, 0);
    let csv = export(&t, &t.client, "").await;
    assert_eq!(csv.lines().count(), 3, "header and alice's two rows: {csv}");
    assert!(!csv.contains("bob"));

    // Signed out: nothing at all.
    let (status, _) = history(&t, &new_client(), &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let res = new_client()
        .get(t.url("/security/sign-ins/export.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_follow_each_other_without_gaps_or_repeats_while_events_arrive() {
    let t = spawn().await;
    let alice = t.create_user("alice", Role::User).await;
    let base = t.clock_now() - 10_000;
    let mut seeded = Vec::new();
    for i in 0..130 {
        // Pairs share a second, so ties are broken by id.
        let code = if i % 3 == 0 {
            ResultCode::PasswordIncorrect
        } else {
            ResultCode::PasswordVerified
        };
        seeded.push(seed_event(&t, alice, base + i / 2, code, FIREFOX_LINUX).await);
    }
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let own_sign_in = latest_events(&t.app.state.db, 1).await.unwrap();
    assert_eq!(own_sign_in[0].user_id, Some(alice.0));

    let (_, first) = history(&t, &t.client, &[]).await;
    assert_eq!(first["rows"].as_array().unwrap().len(), 50);
    let mut walked = ids(&first);
    let mut older = first["older"].as_str().unwrap().to_owned();
    // New attempts land while the person reads: they must not shift later pages.
    for _ in 0..5 {
        seed_event(&t, alice, t.clock_now(), ResultCode::PasswordIncorrect, "").await;
    }
    let mut pages = vec![first];
    loop {
        let (status, page) = history(&t, &t.client, &[("before", &older)]).await;
        assert_eq!(status, StatusCode::OK);
        walked.extend(ids(&page));
        let next = page["older"].as_str().map(str::to_owned);
        pages.push(page);
        match next {
            Some(cursor) => older = cursor,
            None => break,
        }
    }
    let mut expected: Vec<i64> = seeded.clone();
    expected.push(walked[0]);
    expected.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(walked, expected, "every event once, newest first");
    assert_eq!(pages.len(), 3, "131 rows make pages of 50, 50 and 31");

    // "Newer" from the last page gives back the middle page exactly.
    let newer = pages[2]["newer"].as_str().unwrap().to_owned();
    let (_, back) = history(&t, &t.client, &[("after", &newer)]).await;
    assert_eq!(ids(&back), ids(&pages[1]));

    // 44 seeded failures (every third) and the 5 that arrived meanwhile.
    let (_, failures) = history(&t, &t.client, &[("result", "failure")]).await;
    let rows = failures["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 49);
    assert!(rows.iter().all(|row| row["result"] == "Wrong password"));
    assert!(failures["older"].is_null());
    let (_, yesterday) = history(&t, &t.client, &[("to", "2026-11-21")]).await;
    assert!(yesterday["rows"].as_array().unwrap().is_empty());
    let today = [("from", "2026-11-22"), ("to", "2026-11-22")];
    let (_, today) = history(&t, &t.client, &today).await;
    assert_eq!(today["rows"].as_array().unwrap().len(), 50);
    let (status, bad) = history(&t, &t.client, &[("from", "22.11.2026")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(bad["Invalid"]["field"], "from");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_csv_export_holds_every_matching_row_and_defuses_formulas() {
    let t = spawn().await;
    let alice = t.create_user("alice", Role::User).await;
    let start = t.clock_now() - 5_000;
    for i in 0..1_200 {
        seed_event(
            &t,
            alice,
            start + i,
            ResultCode::PasswordVerified,
            FIREFOX_LINUX,
        )
        .await;
    }
    let crafted = "=HYPERLINK(\"http://evil.example\",\"x\")";
    seed_event(
        &t,
        alice,
        start + 2_000,
        ResultCode::PasswordIncorrect,
        crafted,
    )
    .await;
    t.sign_in_as(&t.client, "alice", PASSWORD).await;

    let all = export(&t, &t.client, "").await;
    let mut reader = csv::Reader::from_reader(all.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, app::services::sign_in_history::CSV_HEADER);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        records.len(),
        1_202,
        "1,200 seeded, the crafted one, the real sign-in"
    );
    assert_eq!(&records[0][1], "Success", "newest first: the real sign-in");
    let formula = &records[1];
    assert_eq!(&formula[1], "Wrong password");
    assert_eq!(
        &formula[8],
        format!("'{crafted}"),
        "the cell starts with an apostrophe"
    );
    assert_eq!(&formula[2], "1000");
    let times: Vec<&str> = records.iter().map(|r| r.get(0).unwrap()).collect();
    let mut sorted = times.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted);

    let failures = export(&t, &t.client, "?result=failure").await;
    assert_eq!(failures.lines().count(), 2, "{failures}");

    // Browsers ask for compressed answers: the whole file must still arrive.
    for encoding in ["gzip", "br"] {
        let compressed = t
            .client
            .get(t.url("/security/sign-ins/export.csv"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(compressed.status(), StatusCode::OK);
        assert_eq!(compressed.headers()["content-encoding"], encoding);
        let bytes = compressed.bytes().await.expect("the whole compressed body");
        let text = decompress(encoding, &bytes);
        assert_eq!(text, all, "{encoding}: the same file as uncompressed");
    }
    let res = t
        .client
        .get(t.url("/security/sign-ins/export.csv?from=someday"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

fn decompress(encoding: &str, bytes: &[u8]) -> String {
    use std::io::Read;
    let mut text = String::new();
    match encoding {
        "gzip" => flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .unwrap(),
        _ => brotli_decompressor::Decompressor::new(bytes, 4096)
            .read_to_string(&mut text)
            .unwrap(),
    };
    text
}

async fn export(t: &TestApp, client: &Client, query: &str) -> String {
    let res = client
        .get(t.url(&format!("/security/sign-ins/export.csv{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    res.text().await.unwrap()
}
