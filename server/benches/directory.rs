//! The admin's directory at scale: 100,000 people (a tenth with an app, some locked,
//! a few blocked), searched through the store the way `/admin/users` asks. Prints
//! p50/p99 per kind of search; asserts nothing but that each search answers.
//!
//! cargo bench -p server --bench directory
//!   BENCH_DIRECTORY_USERS (100000), BENCH_DIRECTORY_SAMPLES (100),
//!   BENCH_PG_ADMIN_URL (run on a new PostgreSQL database instead of SQLite,
//!   dropped afterwards).

mod common;

use app::domain::{MfaState, Role};
use app::services::{Clock, SystemClock};
use app::store::Db;
use app::store::directory::{self, DirectoryFilter};
use common::{BenchDatabase, env_count, percentile};
use server::config::Config;
use std::sync::Arc;
use std::time::Instant;

/// Rows per INSERT statement while filling the table.
const BATCH: usize = 500;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let people = env_count("BENCH_DIRECTORY_USERS", 100_000);
    let samples = env_count("BENCH_DIRECTORY_SAMPLES", 100);
    let dir = tempfile::tempdir()?;
    let database = BenchDatabase::create(&dir).await?;
    let engine = database.engine;
    let config = Config {
        bind: "127.0.0.1:0".parse()?,
        database_url: database.url.clone(),
        secret_key_file: dir.path().join("secret.key"),
        ..Config::default()
    };
    let app = server::startup::build_with_clock(config, Arc::new(SystemClock)).await?;
    let db = app.state.db.clone();
    let now = SystemClock.now();
    let started = Instant::now();
    fill(&db, people, now).await?;
    println!(
        "{engine}: {people} people in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let text = |t: &str| DirectoryFilter {
        text: Some(t.to_owned()),
        ..DirectoryFilter::default()
    };
    let middle = format!("person{:06}", people / 2);
    let cases: Vec<(&str, DirectoryFilter)> = vec![
        ("first page, no filter", DirectoryFilter::default()),
        (
            "page from the middle (cursor)",
            DirectoryFilter {
                after: Some(middle),
                ..DirectoryFilter::default()
            },
        ),
        ("text matching everyone", text("example")),
        (
            "text matching one person",
            text(&format!("person{:06}", people - 7)),
        ),
        ("text matching nobody", text("nobody-has-this")),
        (
            "role: helpdesk (1 %)",
            DirectoryFilter {
                role: Some(Role::Helpdesk),
                ..DirectoryFilter::default()
            },
        ),
        (
            "MFA enforced, no method",
            DirectoryFilter {
                mfa_state: Some(MfaState::Enforced),
                registered: Some(false),
                ..DirectoryFilter::default()
            },
        ),
        (
            "locked now (0.1 %)",
            DirectoryFilter {
                locked_at: Some(now),
                ..DirectoryFilter::default()
            },
        ),
    ];
    for (name, filter) in cases {
        let mut millis = Vec::with_capacity(samples);
        for round in 0..samples + 5 {
            let begun = Instant::now();
            let (rows, _) = directory::search(&db, &filter, 25).await?;
            anyhow::ensure!(rows.len() <= 25, "{name}: a page holds at most 25 people");
            if round >= 5 {
                millis.push(begun.elapsed().as_secs_f64() * 1000.0);
            }
        }
        millis.sort_by(f64::total_cmp);
        println!(
            "{engine}, {name:<32} p50 {:7.2} ms  p99 {:7.2} ms",
            percentile(&millis, 0.5),
            percentile(&millis, 0.99)
        );
    }

    app.stop().await?;
    database.drop().await?;
    Ok(())
}

/// `people` users named person000000…, in batches: 1 % helpdesk, 20 % enforced, every
/// tenth with an active app, every thousandth locked, every ten-thousandth blocked.
async fn fill(db: &Db, people: usize, now: i64) -> anyhow::Result<()> {
    let mut first = 0;
    while first < people {
        let last = (first + BATCH).min(people);
        let mut sql = String::from(
            "INSERT INTO users (username, display_name, email, password_hash, role, mfa_state, \
             locked_until, blocked_at, created_at, password_changed_at) VALUES ",
        );
        let rows: Vec<String> = (first..last)
            .map(|n| {
                let role = if n % 100 == 7 { "helpdesk" } else { "user" };
                let state = if n % 5 == 0 { "enforced" } else { "enabled" };
                let locked = if n % 1_000 == 3 {
                    (now + 3_600).to_string()
                } else {
                    "NULL".to_owned()
                };
                let blocked = if n % 10_000 == 9 {
                    now.to_string()
                } else {
                    "NULL".to_owned()
                };
                format!(
                    "('person{n:06}', 'Person {n}', 'person{n:06}@example.com', 'x', '{role}', \
                     '{state}', {locked}, {blocked}, {now}, {now})"
                )
            })
            .collect();
        sql.push_str(&rows.join(", "));
        sqlx::query(&sql).execute(db.pool()).await?;
        first = last;
    }
    sqlx::query(
        "INSERT INTO mfa_methods (user_id, kind, name, created_at, status) \
         SELECT id, 'totp', 'Phone', created_at, 'active' FROM users WHERE id % 10 = 0",
    )
    .execute(db.pool())
    .await?;
    // As the engine's own statistics would be after a while in service (PostgreSQL's
    // autovacuum analyses a table this changed); without them it plans blind.
    sqlx::query("ANALYZE").execute(db.pool()).await?;
    Ok(())
}
