//! The admin dashboard at scale: 10 million sign-in events over the last year (one
//! every 3 seconds: about 29,000 in the last day, 860,000 in the last 30 days) and
//! 1,000 people. Prints the dashboard's latency through the service (every count it
//! shows) and over HTTP; asserts only that the counts add up.
//!
//! cargo bench -p server --bench dashboard
//!   BENCH_DASHBOARD_EVENTS (10000000), BENCH_DASHBOARD_SAMPLES (20),
//!   BENCH_PG_ADMIN_URL (run on a new PostgreSQL database instead of SQLite,
//!   dropped afterwards).

mod common;

use app::domain::{MfaState, Role};
use app::services::{Clock, SystemClock, dashboard};
use app::store::account_controls::{self, Profile};
use app::store::testing::history_generator::{self, GenerateSpec};
use common::{
    BenchDatabase, PASSWORD, client, create_user, env_count, post, time_many, verified_caller,
};
use server::config::Config;
use std::sync::Arc;
use std::time::Instant;

const SPACING: i64 = 3;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let events = env_count("BENCH_DASHBOARD_EVENTS", 10_000_000) as i64;
    let samples = env_count("BENCH_DASHBOARD_SAMPLES", 20);
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
    let state = app.state.clone();
    let root = create_user(&state, "dashboard-bench", MfaState::Disabled).await?;
    let email = app::domain::EmailAddress::parse("root@example.com")?;
    let profile = Profile {
        display_name: "Root",
        email: &email,
        role: Role::Admin,
    };
    account_controls::set_profile(state.db.pool(), root, &profile).await?;
    let started = Instant::now();
    let newest_at = SystemClock.now() - 1;
    let spec = GenerateSpec {
        user: root,
        user_events: 0,
        other_events: events,
        other_users: 1_000,
        newest_at,
        spacing_secs: SPACING,
    };
    history_generator::generate(&state.db, spec).await?;
    // As the table would be after a while in service: PostgreSQL's autovacuum
    // analyses it and marks its pages all-visible (what lets the dashboard's pass
    // stay in the index).
    let upkeep = if engine == "PostgreSQL" {
        "VACUUM ANALYZE sign_in_events"
    } else {
        "ANALYZE"
    };
    sqlx::query(upkeep).execute(state.db.pool()).await?;
    println!(
        "{engine}: generated {events} events, one every {SPACING} s, in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let admin = verified_caller(&state, root).await?.as_admin()?;
    let (p50, p99) = time_many(samples, || async {
        // The window ends now, and generating took a while: the oldest events of the
        // 30 days have left it since.
        let window_start = SystemClock.now() - 30 * 86_400;
        let expected = ((newest_at - window_start) / SPACING + 1).clamp(0, events);
        let view = dashboard::view(&state, &admin).await?;
        let month: i64 = view.periods[2].by_outcome.iter().map(|b| b.value).sum();
        anyhow::ensure!(
            (month - expected).abs() <= 2,
            "the last 30 days count {month} sign-ins, not about {expected}"
        );
        Ok(())
    })
    .await?;
    println!(
        "{engine}, dashboard service (3 periods, coverage, outbox)  p50 {p50:8.1} ms  p99 {p99:8.1} ms"
    );

    let http = client()?;
    let base = app.url();
    let res = post(
        &http,
        &base,
        "/api/sign_in",
        &[("username", "dashboard-bench"), ("password", PASSWORD)],
    )
    .await?;
    anyhow::ensure!(
        res.status().is_success(),
        "sign-in answered {}",
        res.status()
    );
    let (p50, p99) = time_many(samples, || async {
        let res = post(&http, &base, "/api/admin_dashboard", &[]).await?;
        anyhow::ensure!(
            res.status().is_success(),
            "dashboard answered {}",
            res.status()
        );
        res.bytes().await?;
        Ok(())
    })
    .await?;
    println!(
        "{engine}, HTTP POST /api/admin_dashboard                   p50 {p50:8.1} ms  p99 {p99:8.1} ms"
    );
    app.stop().await?;
    database.drop().await?;
    Ok(())
}
