//! Sign-in throughput through the real HTTP endpoint next to raw Argon2
//! verifications on the same machine in the same run, and the SSR latency of the
//! account page under a bounded load. Prints figures; asserts nothing.
//!
//! cargo bench -p server --bench sign_in   (BENCH_SIGN_INS, BENCH_PAGE_REQUESTS to scale)

mod common;

use app::domain::MfaState;
use app::services::passwords::hash_blocking;
use argon2::password_hash::{PasswordHash, PasswordVerifier};
use common::{PASSWORD, client, create_user, env_count, percentile, start};
use secrecy::SecretString;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let sign_ins = env_count("BENCH_SIGN_INS", 200);
    let page_requests = env_count("BENCH_PAGE_REQUESTS", 3000);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let dir = tempfile::tempdir()?;
    let app = start(&dir, None).await?;
    for n in 0..workers {
        create_user(&app.state, &format!("bench{n}"), MfaState::Disabled).await?;
    }
    println!("machine: {workers} cores; {sign_ins} sign-ins, {page_requests} page requests");

    // Raw hashing before and after the HTTP run, so drift (heat, other load) shows.
    let raw_before = raw_argon2_rate(sign_ins, workers).await?;
    let http_rate = http_sign_in_rate(&app.url(), sign_ins, workers).await?;
    let raw_after = raw_argon2_rate(sign_ins, workers).await?;
    let raw_rate = (raw_before + raw_after) / 2.0;
    println!(
        "raw argon2id verifications/s : {raw_before:8.1} before, {raw_after:8.1} after (mean {raw_rate:.1})"
    );
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
