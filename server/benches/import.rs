//! Bulk import at scale: a people file of 10,000 rows (half with a mobile number)
//! checked (the dry run), run by the portal's own import worker, then the same file
//! checked and run again (every row unchanged). Prints rows per second for each
//! step; asserts only that every row ended as expected.
//!
//! cargo bench -p server --bench import
//!   BENCH_IMPORT_ROWS (10000), BENCH_PG_ADMIN_URL (run on a new PostgreSQL
//!   database instead of SQLite, dropped afterwards).

mod common;

use app::domain::{MfaState, Role};
use app::services::SystemClock;
use app::services::bulk_import;
use app::store::import_jobs;
use common::{BenchDatabase, create_user, env_count, verified_caller};
use server::config::Config;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rows = env_count("BENCH_IMPORT_ROWS", 10_000);
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
    let root = create_user(&state, "root", MfaState::Disabled).await?;
    app::store::account_controls::set_profile(
        state.db.pool(),
        root,
        &app::store::account_controls::Profile {
            display_name: "Root",
            email: &app::domain::EmailAddress::parse("root@example.com")?,
            role: Role::Admin,
        },
    )
    .await?;
    let caller = verified_caller(&state, root).await?;
    let admin = caller.as_admin()?;
    let verified = admin.recently_verified(app::services::Clock::now(&SystemClock))?;

    let mut file = String::from("username,display_name,email,role,mfa_state,mobile,office\n");
    for n in 0..rows {
        let mobile = if n % 2 == 0 {
            format!("+31 6 {:08}", 10_000_000 + n)
        } else {
            String::new()
        };
        file.push_str(&format!(
            "person{n},Person {n},person{n}@example.com,user,enabled,{mobile},\n"
        ));
    }
    for (round, expected) in [("first run", "created"), ("same file again", "unchanged")] {
        let begun = Instant::now();
        let job = bulk_import::check_file(&state, &admin, "bench.csv", file.as_bytes()).await?;
        let checked = begun.elapsed().as_secs_f64();
        let begun = Instant::now();
        bulk_import::start(&state, &verified, job, "127.0.0.1")
            .await?
            .map_err(|r| anyhow::anyhow!("not started: {r:?}"))?;
        let finished = loop {
            let row = import_jobs::job(&state.db, job).await?.expect("the job");
            if row.finished_at.is_some() {
                break row;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let ran = begun.elapsed().as_secs_f64();
        let count = match expected {
            "created" => finished.created_count,
            _ => finished.unchanged_count,
        };
        anyhow::ensure!(
            count == rows as i64,
            "{round}: {count} of {rows} rows {expected}"
        );
        println!(
            "{engine}, {round:<16} {rows} rows: dry run {checked:6.2} s ({:8.0} rows/s), run {ran:6.2} s ({:8.0} rows/s, {expected})",
            rows as f64 / checked,
            rows as f64 / ran
        );
    }
    app.stop().await?;
    database.drop().await?;
    Ok(())
}
