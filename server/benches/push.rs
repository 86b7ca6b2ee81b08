//! Notification in the app, end to end over HTTP with the protocol test client of
//! `server/tests/api/push_app.rs` (RSA 2048 device keys; the portal's own key is
//! RSA 4096 and signs every challenge a poll returns):
//! - latency from the phone's answer to the signed-in page: the answer POST, the
//!   page's long poll (`push_status`) returning and completing the sign-in, and the
//!   account page rendered, one sign-in at a time, p50/p99;
//! - prompts answered per second with `BENCH_PUSH_DEVICES` people signing in at
//!   once (send, poll, pick the number, the page's status), the password step done
//!   before the clock starts.
//!
//! Prints figures; asserts nothing.
//!
//! cargo bench -p server --bench push   (BENCH_PUSH_SAMPLES, BENCH_PUSH_DEVICES to scale)

#[path = "../tests/api/push_app.rs"]
// Test code: the tests use more of the client than the bench, and it fails loudly.
#[allow(dead_code, clippy::unwrap_used)]
mod push_app;

mod common;

use app::domain::MfaState;
use app::services::audit::Actor;
use app::services::{Clock, SystemClock, portal_settings};
use common::{PASSWORD, client, create_user, env_count, percentile, post, start};
use push_app::{Answer, Portal, PushApp};
use std::time::Instant;

struct BenchPortal {
    base: String,
}

impl Portal for BenchPortal {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn clock_now(&self) -> i64 {
        SystemClock.now()
    }
}

/// A person with one activated device; returns the device.
async fn person_with_device(portal: &BenchPortal, name: &str) -> anyhow::Result<PushApp> {
    let browser = client()?;
    let base = &portal.base;
    let signed_in = post(
        &browser,
        base,
        "/api/sign_in",
        &[("username", name), ("password", PASSWORD)],
    )
    .await?;
    anyhow::ensure!(
        signed_in.status().is_success(),
        "password step: {}",
        signed_in.status()
    );
    let view: serde_json::Value = post(
        &browser,
        base,
        "/api/begin_push_device",
        &[("name", "Phone")],
    )
    .await?
    .json()
    .await?;
    let method_id = view["method_id"].as_i64().unwrap_or_default().to_string();
    let mut phone = PushApp::scanned(view["uri"].as_str().unwrap_or_default(), 2048);
    let enrolled = phone.enrol(portal).await;
    phone.keep_server_key(enrolled).await;
    let form = [("method_id", method_id.as_str())];
    let activation = || post(&browser, base, "/api/push_device_activation", &form);
    let sent: serde_json::Value = activation().await?.json().await?;
    let code = sent["TestPromptSent"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let prompts = phone.poll(portal).await;
    anyhow::ensure!(prompts.len() == 1, "one test prompt");
    phone.answer(portal, &prompts[0], Answer::Pick(code)).await;
    let active: serde_json::Value = activation().await?.json().await?;
    anyhow::ensure!(active == "Active", "device active: {active}");
    Ok(phone)
}

/// A new browser past the password step, at the second step.
async fn at_second_step(portal: &BenchPortal, name: &str) -> anyhow::Result<reqwest::Client> {
    let browser = client()?;
    let res = post(
        &browser,
        &portal.base,
        "/api/sign_in",
        &[("username", name), ("password", PASSWORD)],
    )
    .await?;
    anyhow::ensure!(res.status().is_success(), "password step: {}", res.status());
    Ok(browser)
}

/// Sends the prompt; its id and the number the page shows.
async fn send(portal: &BenchPortal, browser: &reqwest::Client) -> anyhow::Result<(String, String)> {
    let res = post(
        browser,
        &portal.base,
        "/api/start_push",
        &[("purpose", "sign_in")],
    )
    .await?;
    anyhow::ensure!(
        res.status().is_success(),
        "prompt refused: {}",
        res.status()
    );
    let view: serde_json::Value = res.json().await?;
    let id = view["challenge_id"]
        .as_i64()
        .unwrap_or_default()
        .to_string();
    Ok((
        id,
        view["shown_code"].as_str().unwrap_or_default().to_owned(),
    ))
}

/// The page's long poll; the status word once the prompt was decided.
async fn page_status(
    portal: &BenchPortal,
    browser: &reqwest::Client,
    id: &str,
) -> anyhow::Result<String> {
    let form = [("challenge_id", id), ("purpose", "sign_in")];
    Ok(post(browser, &portal.base, "/api/push_status", &form)
        .await?
        .json()
        .await?)
}

/// One sign-in: send, the phone polls and picks the number, the page learns it.
/// Returns the milliseconds from the answer to the rendered account page.
async fn sign_in_once(
    portal: &BenchPortal,
    phone: &PushApp,
    browser: reqwest::Client,
) -> anyhow::Result<f64> {
    let (id, number) = send(portal, &browser).await?;
    let waiting = {
        let (base, browser, id) = (portal.base.clone(), browser.clone(), id.clone());
        tokio::spawn(async move { page_status(&BenchPortal { base }, &browser, &id).await })
    };
    let prompt = phone
        .poll(portal)
        .await
        .into_iter()
        .find(|c| c.choices.as_ref().is_some_and(|n| n.contains(&number)))
        .ok_or_else(|| anyhow::anyhow!("the prompt reached the phone"))?;
    let answered = Instant::now();
    phone.answer(portal, &prompt, Answer::Pick(number)).await;
    let status = waiting.await??;
    anyhow::ensure!(status == "Approved", "page status {status}");
    let page = browser
        .get(portal.url("/account"))
        .header(reqwest::header::ACCEPT, "text/html")
        .send()
        .await?;
    anyhow::ensure!(
        page.status().is_success(),
        "account page: {}",
        page.status()
    );
    page.text().await?;
    Ok(answered.elapsed().as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let samples = env_count("BENCH_PUSH_SAMPLES", 200);
    let devices = env_count("BENCH_PUSH_DEVICES", 16).max(1);
    let per_device = env_count("BENCH_PUSH_PER_DEVICE", 20);
    let dir = tempfile::tempdir()?;
    let app = start(&dir, None).await?;
    let state = &app.state;
    let now = SystemClock.now();
    // The cap is per person; the bench sends more prompts than a person would.
    portal_settings::set(
        &state.db,
        portal_settings::PUSH_PER_USER_PER_15MIN,
        "50",
        now,
        &Actor::System("bench"),
        None,
    )
    .await?
    .map_err(anyhow::Error::msg)?;
    let portal = BenchPortal { base: app.url() };

    let started = Instant::now();
    let mut phones = Vec::with_capacity(devices);
    for i in 0..devices {
        let name = format!("push-bench-{i}");
        create_user(state, &name, MfaState::Enabled).await?;
        phones.push((name.clone(), person_with_device(&portal, &name).await?));
    }
    println!(
        "set-up: {devices} devices enrolled and activated (RSA 2048 keys made, step 2, test prompt) in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut latencies = Vec::with_capacity(samples);
    for i in 0..samples {
        let (name, phone) = &phones[i % devices];
        let browser = at_second_step(&portal, name).await?;
        latencies.push(sign_in_once(&portal, phone, browser).await?);
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "answer -> signed-in account page, one sign-in at a time ({samples} sign-ins): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(f64::NAN)
    );

    // Everyone at the second step first: the password hash is not what is measured.
    let mut waiting = Vec::with_capacity(devices);
    for (name, phone) in phones {
        let mut browsers = Vec::with_capacity(per_device);
        for _ in 0..per_device {
            browsers.push(at_second_step(&portal, &name).await?);
        }
        waiting.push((phone, browsers));
    }
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for (phone, browsers) in waiting {
        let base = portal.base.clone();
        workers.spawn(async move {
            let portal = BenchPortal { base };
            for browser in browsers {
                sign_in_once(&portal, &phone, browser).await?;
            }
            anyhow::Ok(())
        });
    }
    while let Some(done) = workers.join_next().await {
        done??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let total = devices * per_device;
    println!(
        "prompts answered, {devices} people at once: {total} sign-ins (send, poll, pick, page status, account page) in {elapsed:.2} s = {:.0} per second",
        total as f64 / elapsed
    );
    app.stop().await
}
