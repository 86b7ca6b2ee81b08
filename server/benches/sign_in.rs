//! Sign-in throughput through the real HTTP endpoint next to raw Argon2
//! verifications on the same machine in the same run, and the SSR latency of the
//! account page under a bounded load. Prints figures; asserts nothing.
//!
//! cargo bench -p server --bench sign_in   (BENCH_SIGN_INS, BENCH_PAGE_REQUESTS to scale)

use app::domain::{EmailAddress, MfaState, Role, Username};
use app::services::accounts::{self, NewAccount};
use app::services::audit::Actor;
use app::services::passwords::hash_blocking;
use argon2::password_hash::{PasswordHash, PasswordVerifier};
use secrecy::SecretString;
use server::config::Config;
use std::time::{Duration, Instant};

const PASSWORD: &str = "benchmark passphrase 2026";

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let sign_ins = env_count("BENCH_SIGN_INS", 60);
    let page_requests = env_count("BENCH_PAGE_REQUESTS", 3000);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let dir = tempfile::tempdir()?;
    let config = Config {
        bind: "127.0.0.1:0".parse()?,
        database_url: format!("sqlite://{}", dir.path().join("bench.db").display()),
        sign_in_per_ip_per_minute: 1_000_000,
        ..Config::default()
    };
    let app = server::startup::build(config).await?;
    for n in 0..workers {
        create_user(&app.state, &format!("bench{n}")).await?;
    }
    println!("machine: {workers} cores; {sign_ins} sign-ins, {page_requests} page requests");

    let raw_rate = raw_argon2_rate(sign_ins, workers).await?;
    let http_rate = http_sign_in_rate(&app.url(), sign_ins, workers).await?;
    println!("raw argon2id verifications/s : {raw_rate:8.1}");
    println!("HTTP sign-ins/s              : {http_rate:8.1}");
    println!(
        "portal overhead              : sign-ins run at {:.1}% of raw hashing speed",
        100.0 * http_rate / raw_rate
    );

    let concurrency = 8;
    let (latencies, elapsed) =
        account_page_latencies(&app.url(), page_requests, concurrency).await?;
    println!(
        "GET /account (SSR, {concurrency} concurrent): p50 {:.2} ms, p99 {:.2} ms, {:.0} req/s",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        page_requests as f64 / elapsed.as_secs_f64()
    );
    app.stop().await
}

async fn create_user(state: &app::state::AppState, username: &str) -> anyhow::Result<()> {
    let account = NewAccount {
        username: Username::parse(username)?,
        display_name: format!("Bench {username}"),
        email: EmailAddress::parse(&format!("{username}@example.com"))?,
        password: Some(SecretString::from(PASSWORD.to_owned())),
        role: Role::User,
        mfa_state: Some(MfaState::Disabled),
    };
    accounts::create(state, account, &Actor::System("bench")).await?;
    Ok(())
}

/// `total` verifications spread over `workers` blocking threads.
async fn raw_argon2_rate(total: usize, workers: usize) -> anyhow::Result<f64> {
    let hash = hash_blocking(&SecretString::from(PASSWORD.to_owned()))?;
    let start = Instant::now();
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let hash = hash.clone();
            let count = total / workers + usize::from(w < total % workers);
            tokio::task::spawn_blocking(move || {
                let parsed = PasswordHash::new(&hash).expect("a valid hash");
                for _ in 0..count {
                    argon2::Argon2::default()
                        .verify_password(PASSWORD.as_bytes(), &parsed)
                        .expect("it matches");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await?;
    }
    Ok(total as f64 / start.elapsed().as_secs_f64())
}

async fn http_sign_in_rate(base: &str, total: usize, workers: usize) -> anyhow::Result<f64> {
    let start = Instant::now();
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let base = base.to_owned();
            let count = total / workers + usize::from(w < total % workers);
            tokio::spawn(async move {
                let username = format!("bench{w}");
                for _ in 0..count {
                    let client = client()?;
                    let res = client
                        .post(format!("{base}/api/sign_in"))
                        .header("origin", &base)
                        .form(&[("username", username.as_str()), ("password", PASSWORD)])
                        .send()
                        .await?;
                    anyhow::ensure!(
                        res.status().is_success() || res.status().is_redirection(),
                        "sign-in failed: {}",
                        res.status()
                    );
                }
                Ok(())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    Ok(total as f64 / start.elapsed().as_secs_f64())
}

async fn account_page_latencies(
    base: &str,
    total: usize,
    concurrency: usize,
) -> anyhow::Result<(Vec<f64>, Duration)> {
    let start = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|w| {
            let base = base.to_owned();
            let count = total / concurrency + usize::from(w < total % concurrency);
            tokio::spawn(async move {
                let client = client()?;
                let username = format!("bench{}", w % 2);
                client
                    .post(format!("{base}/api/sign_in"))
                    .header("origin", &base)
                    .form(&[("username", username.as_str()), ("password", PASSWORD)])
                    .send()
                    .await?;
                let mut latencies = Vec::with_capacity(count);
                for _ in 0..count {
                    let t = Instant::now();
                    let res = client.get(format!("{base}/account")).send().await?;
                    anyhow::ensure!(
                        res.status().is_success(),
                        "account page answered {}",
                        res.status()
                    );
                    res.bytes().await?;
                    latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                Ok(latencies)
            })
        })
        .collect();
    let mut all = Vec::with_capacity(total);
    for task in tasks {
        all.extend(task.await??);
    }
    let elapsed = start.elapsed();
    all.sort_by(f64::total_cmp);
    Ok((all, elapsed))
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(index).copied().unwrap_or(f64::NAN)
}

fn client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}
