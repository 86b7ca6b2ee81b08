//! My sign-ins at scale: one user with 1 million events among 10 million in the
//! table (made by the same generator as `mfa-portal generate sign-ins`). Prints page
//! latencies (query layer and over HTTP) and CSV export speed; asserts nothing.
//!
//! cargo bench -p server --bench history
//!   BENCH_HISTORY_USER_EVENTS (1000000), BENCH_HISTORY_OTHER_EVENTS (9000000),
//!   BENCH_HISTORY_SAMPLES (200), BENCH_PG_ADMIN_URL (run on a new PostgreSQL
//!   database instead of SQLite, dropped afterwards).

mod common;

use app::domain::MfaState;
use app::services::{Clock, SystemClock};
use app::store::sign_in_history::{self, Cursor, HistoryFilter, PageAt};
use app::store::testing::history_generator::{self, GenerateSpec};
use common::{BenchDatabase, PASSWORD, client, create_user, env_count, post, time_many};
use server::config::Config;
use std::sync::Arc;
use std::time::Instant;

const SPACING: i64 = 30;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let user_events = env_count("BENCH_HISTORY_USER_EVENTS", 1_000_000) as i64;
    let other_events = env_count("BENCH_HISTORY_OTHER_EVENTS", 9_000_000) as i64;
    let samples = env_count("BENCH_HISTORY_SAMPLES", 200);
    let dir = tempfile::tempdir()?;
    let database = BenchDatabase::create(&dir).await?;
    let engine = database.engine;
    let config = Config {
        bind: "127.0.0.1:0".parse()?,
        database_url: database.url.clone(),
        secret_key_file: dir.path().join("secret.key"),
        sign_in_per_ip_per_minute: 1_000_000,
        ..Config::default()
    };
    let app = server::startup::build_with_clock(config, Arc::new(SystemClock)).await?;
    let db = app.state.db.clone();
    let user = create_user(&app.state, "history-bench", MfaState::Enabled).await?;
    let newest_at = SystemClock.now() - 60;
    let started = Instant::now();
    let spec = GenerateSpec {
        user,
        user_events,
        other_events,
        other_users: 1_000,
        newest_at,
        spacing_secs: SPACING,
    };
    history_generator::generate(&db, spec).await?;
    println!(
        "{engine}: generated {user_events} events for the user and {other_events} for 1,000 others in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let middle = Cursor {
        occurred_at: newest_at - (user_events / 2) * SPACING,
        id: i64::MAX,
    };
    let failures = HistoryFilter {
        succeeded: Some(false),
        ..HistoryFilter::default()
    };
    let month = HistoryFilter {
        from: Some(middle.occurred_at - 30 * 86_400),
        until: Some(middle.occurred_at),
        ..HistoryFilter::default()
    };
    let cases = [
        ("newest page", HistoryFilter::default(), PageAt::Newest),
        (
            "page at the middle (cursor)",
            HistoryFilter::default(),
            PageAt::OlderThan(middle),
        ),
        (
            "newer page from the middle",
            HistoryFilter::default(),
            PageAt::NewerThan(middle),
        ),
        ("failures only, middle", failures, PageAt::OlderThan(middle)),
        ("30-day range, middle", month, PageAt::Newest),
    ];
    for (name, filter, at) in cases {
        let (p50, p99) = time_many(samples, || async {
            let (rows, _) = sign_in_history::page(&db, user, filter, at, 50).await?;
            anyhow::ensure!(rows.len() == 50, "{name}: a full page");
            Ok(())
        })
        .await?;
        println!("query layer, {name:<30} p50 {p50:6.2} ms  p99 {p99:6.2} ms");
    }

    let http = client()?;
    let base = app.url();
    let res = post(
        &http,
        &base,
        "/api/sign_in",
        &[("username", "history-bench"), ("password", PASSWORD)],
    )
    .await?;
    anyhow::ensure!(
        res.status().is_success(),
        "sign-in answered {}",
        res.status()
    );
    let middle_cursor = format!("{}.{}", middle.occurred_at, i64::MAX);
    let http_cases: [(&str, Vec<(&str, &str)>); 2] = [
        ("newest page", vec![]),
        (
            "page at the middle",
            vec![("before", middle_cursor.as_str())],
        ),
    ];
    for (name, form) in http_cases {
        let (p50, p99) = time_many(samples, || async {
            let res = post(&http, &base, "/api/sign_in_history", &form).await?;
            anyhow::ensure!(
                res.status().is_success(),
                "history answered {}",
                res.status()
            );
            res.bytes().await?;
            Ok(())
        })
        .await?;
        println!("HTTP (session, words, JSON), {name:<20} p50 {p50:6.2} ms  p99 {p99:6.2} ms");
    }

    export_speed(&http, &base, user_events).await?;
    app.stop().await?;
    database.drop().await?;
    Ok(())
}

/// Downloads the user's whole history as CSV, reading it as it streams, and reports
/// rows per second and the process's resident memory before and at most during it
/// (the server runs in this process).
async fn export_speed(http: &reqwest::Client, base: &str, expected: i64) -> anyhow::Result<()> {
    let before = rss_kib();
    let mut highest = before;
    let started = Instant::now();
    let mut res = http
        .get(format!("{base}/security/sign-ins/export.csv"))
        .send()
        .await?;
    anyhow::ensure!(
        res.status().is_success(),
        "export answered {}",
        res.status()
    );
    let (mut bytes, mut lines) = (0_usize, 0_usize);
    while let Some(chunk) = res.chunk().await? {
        bytes += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count();
        highest = highest.max(rss_kib());
    }
    let seconds = started.elapsed().as_secs_f64();
    let rows = lines.saturating_sub(1);
    anyhow::ensure!(
        rows as i64 >= expected,
        "exported {rows} of {expected} rows"
    );
    println!(
        "CSV export: {rows} rows, {:.0} MiB in {seconds:.1} s = {:.0} rows/s; RSS {} MiB before, {} MiB at most during",
        bytes as f64 / 1_048_576.0,
        rows as f64 / seconds,
        before / 1024,
        highest / 1024
    );
    Ok(())
}

/// The process's resident memory now (VmRSS), in KiB.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
