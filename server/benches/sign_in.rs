//! Sign-in throughput through the real HTTP endpoint next to raw Argon2
//! verifications on the same machine in the same run, and the SSR latency of the
//! account page under a bounded load, and resident memory under a burst of 64
//! concurrent sign-ins. Prints figures; asserts nothing.
//!
//! cargo bench -p server --bench sign_in   (BENCH_SIGN_INS, BENCH_PAGE_REQUESTS, BENCH_BURST)

mod common;

use app::domain::MfaState;
use app::services::passwords::hash_blocking;
use argon2::password_hash::{PasswordHash, PasswordVerifier};
use common::{PASSWORD, client, create_user, env_count, percentile, start};
use secrecy::SecretString;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
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

    // Memory first, while the process is fresh: 64 sign-ins at once must queue at
    // the Argon2 permits instead of holding 64 × 19 MiB.
    let burst = env_count("BENCH_BURST", 64);
    let (idle, peak, after) = rss_under_burst(&app.url(), burst, workers).await?;
    println!(
        "resident memory, {burst} concurrent sign-ins: idle {:.1} MiB, peak {:.1} MiB ({:+.1} MiB), after {:.1} MiB",
        idle as f64 / 1024.0,
        peak as f64 / 1024.0,
        (peak - idle) as f64 / 1024.0,
        after as f64 / 1024.0
    );

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

/// This process's resident set in KiB (Linux `/proc/self/status`).
fn rss_kib() -> anyhow::Result<i64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .ok_or_else(|| anyhow::anyhow!("no VmRSS line"))?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("no VmRSS value"))?
        .parse()?)
}

/// Resident memory before, at most during, and after `burst` sign-ins sent at
/// once (sampled every 5 ms).
async fn rss_under_burst(
    base: &str,
    burst: usize,
    users: usize,
) -> anyhow::Result<(i64, i64, i64)> {
    // One client for the whole burst: 64 clients would each load TLS roots and
    // count against the figure.
    let client = client()?;
    let idle = rss_kib()?;
    let peak = Arc::new(AtomicI64::new(idle));
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (peak, sampling) = (peak.clone(), sampling.clone());
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                if let Ok(now) = rss_kib() {
                    peak.fetch_max(now, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    let tasks: Vec<_> = (0..burst)
        .map(|n| {
            let base = base.to_owned();
            let username = format!("bench{}", n % users);
            let client = client.clone();
            tokio::spawn(async move {
                common::post(
                    &client,
                    &base,
                    "/api/sign_in",
                    &[("username", username.as_str()), ("password", PASSWORD)],
                )
                .await
                .map(|_| ())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    sampling.store(false, Ordering::Relaxed);
    sampler.await?;
    Ok((idle, peak.load(Ordering::Relaxed), rss_kib()?))
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
