//! Shared by the benchmarks: a portal on a temporary SQLite database, users, clients.

#![allow(dead_code)] // each bench uses a different part

use app::domain::{EmailAddress, MfaState, Role, Username};
use app::services::accounts::{self, FirstPassword, NewAccount};
use app::services::audit::Actor;
use app::services::caller::{Caller, SessionFacts, Verified};
use app::services::{Clock, SystemClock};
use secrecy::SecretString;
use server::config::Config;
use server::startup::RunningApp;
use std::sync::Arc;

pub const PASSWORD: &str = "benchmark passphrase 2026";

pub fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub async fn start(
    dir: &tempfile::TempDir,
    clock: Option<Arc<dyn Clock>>,
) -> anyhow::Result<RunningApp> {
    let config = Config {
        bind: "127.0.0.1:0".parse()?,
        database_url: format!("sqlite://{}", dir.path().join("bench.db").display()),
        secret_key_file: dir.path().join("secret.key"),
        sign_in_per_ip_per_minute: 1_000_000,
        api_per_minute: 1_000_000,
        ..Config::default()
    };
    let clock = clock.unwrap_or_else(|| Arc::new(SystemClock));
    server::startup::build_with_clock(config, clock).await
}

pub async fn create_user(
    state: &app::state::AppState,
    username: &str,
    mfa: MfaState,
) -> anyhow::Result<app::store::UserId> {
    let account = NewAccount {
        username: Username::parse(username)?,
        display_name: format!("Bench {username}"),
        email: EmailAddress::parse(&format!("{username}@example.com"))?,
        password: FirstPassword::Given(SecretString::from(PASSWORD.to_owned())),
        role: Role::User,
        mfa_state: Some(mfa),
        must_change_password: false,
    };
    Ok(accounts::create(state, account, &Actor::System("bench"))
        .await?
        .id)
}

/// `user` as a session that proved a second factor just now presents them: what a
/// service that changes sign-in methods demands.
#[allow(dead_code)] // not every bench changes methods
pub async fn verified_caller(
    state: &app::state::AppState,
    user: app::store::UserId,
) -> anyhow::Result<Verified<Caller>> {
    let person = app::store::users::find_by_id(&state.db, user)
        .await?
        .ok_or_else(|| anyhow::anyhow!("bench user missing"))?;
    let now = state.clock.now();
    let facts = SessionFacts {
        sign_in_event_id: 0,
        verified_at: Some(now),
        session_row: None,
        session_epoch: 0,
    };
    Ok(Caller::themselves(person.into(), facts).recently_verified(now)?)
}

pub fn client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

pub async fn post(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    form: &[(&str, &str)],
) -> anyhow::Result<reqwest::Response> {
    Ok(client
        .post(format!("{base}{path}"))
        .header("origin", base)
        .form(form)
        .send()
        .await?)
}

/// Runs `op` `samples` times after a short warm-up (5 runs); p50 and p99 in milliseconds.
pub async fn time_many<F, Fut>(samples: usize, op: F) -> anyhow::Result<(f64, f64)>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    for _ in 0..5 {
        op().await?;
    }
    let mut millis = Vec::with_capacity(samples);
    for _ in 0..samples {
        let started = std::time::Instant::now();
        op().await?;
        millis.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    millis.sort_by(f64::total_cmp);
    Ok((percentile(&millis, 0.5), percentile(&millis, 0.99)))
}

pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(index).copied().unwrap_or(f64::NAN)
}

/// Where a benchmark keeps its data: a SQLite file in a temporary folder, or, with
/// `BENCH_PG_ADMIN_URL` set, a new PostgreSQL database that `drop` removes.
pub struct BenchDatabase {
    pub url: String,
    pub engine: &'static str,
    /// The admin URL and the database's name, on PostgreSQL.
    postgres: Option<(String, String)>,
}

impl BenchDatabase {
    pub async fn create(dir: &tempfile::TempDir) -> anyhow::Result<BenchDatabase> {
        let admin = std::env::var("BENCH_PG_ADMIN_URL")
            .ok()
            .filter(|u| !u.is_empty());
        let Some(admin) = admin else {
            return Ok(BenchDatabase {
                url: format!("sqlite://{}", dir.path().join("bench.db").display()),
                engine: "SQLite",
                postgres: None,
            });
        };
        let name = format!("mfa_bench_{}", uuid::Uuid::new_v4().simple());
        let pool = sqlx::PgPool::connect(&admin).await?;
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&pool)
            .await?;
        let mut url = url::Url::parse(&admin)?;
        url.set_path(&name);
        Ok(BenchDatabase {
            url: url.to_string(),
            engine: "PostgreSQL",
            postgres: Some((admin, name)),
        })
    }

    /// Drops the PostgreSQL database (the SQLite file goes with its folder).
    pub async fn drop(self) -> anyhow::Result<()> {
        if let Some((admin, name)) = self.postgres {
            let pool = sqlx::PgPool::connect(&admin).await?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&pool)
                .await?;
        }
        Ok(())
    }
}
