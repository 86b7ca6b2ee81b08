//! Shared by the benchmarks: a portal on a temporary SQLite database, users, clients.

#![allow(dead_code)] // each bench uses a different part

use app::domain::{EmailAddress, MfaState, Role, Username};
use app::services::accounts::{self, NewAccount};
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
        password: Some(SecretString::from(PASSWORD.to_owned())),
        role: Role::User,
        mfa_state: Some(mfa),
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

pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(index).copied().unwrap_or(f64::NAN)
}
