//! TOTP verifications per second: through the service layer (read, unseal, HMAC,
//! and the replay-protection UPDATE on SQLite) and through HTTP (a signed-in
//! "confirm it's you" with a code, including the session write). The clock moves
//! one step per verification so every code is fresh. Prints figures; asserts nothing.
//!
//! cargo bench -p server --bench totp   (BENCH_TOTP to scale)

mod common;

use app::domain::{MethodName, MfaState, OtpCode};
use app::services::authenticator::{self, CodeCheck, Purpose};
use app::services::caller::Enroller;
use app::services::otp::totp::{TotpParams, code_for_step};
use app::services::{Clock, ManualClock};
use common::{PASSWORD, client, create_user, env_count, post, start};
use std::sync::Arc;
use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let count = env_count("BENCH_TOTP", 1000).min(1400);
    let dir = tempfile::tempdir()?;
    let clock = ManualClock::starting_at(time::OffsetDateTime::now_utc().unix_timestamp());
    let app = start(&dir, Some(Arc::new(clock.clone()))).await?;
    let state = &app.state;
    let user = create_user(state, "totp-bench", MfaState::Enabled).await?;
    let verified = common::verified_caller(state, user).await?;
    let enroller = Enroller::Verified(verified);
    let enrolment = authenticator::begin(state, &enroller, &MethodName::parse("Bench")?).await?;
    let secret =
        data_encoding::BASE32_NOPAD.decode(enrolment.secret_grouped.replace(' ', "").as_bytes())?;
    let code_now = |clock: &ManualClock| -> anyhow::Result<OtpCode> {
        let params = TotpParams::AUTHENTICATOR_APPS;
        Ok(OtpCode::parse(&code_for_step(
            &secret,
            params,
            params.step_at(clock.now()),
        ))?)
    };
    anyhow::ensure!(
        authenticator::activate(
            state,
            &enroller,
            app::store::MethodId(enrolment.method_id),
            &code_now(&clock)?,
            "127.0.0.1"
        )
        .await?
            == CodeCheck::Accepted
    );

    let started = Instant::now();
    for _ in 0..count {
        clock.advance_secs(30);
        let check = authenticator::check_code(
            state,
            user,
            app::store::MethodId(enrolment.method_id),
            &code_now(&clock)?,
            Purpose::Verify,
        )
        .await?;
        anyhow::ensure!(check == CodeCheck::Accepted, "service check: {check:?}");
    }
    let service_rate = count as f64 / started.elapsed().as_secs_f64();

    let base = app.url();
    let browser = client()?;
    post(
        &browser,
        &base,
        "/api/sign_in",
        &[("username", "totp-bench"), ("password", PASSWORD)],
    )
    .await?;
    clock.advance_secs(30);
    let id = enrolment.method_id.to_string();
    let code = code_now(&clock)?;
    let res = post(
        &browser,
        &base,
        "/api/verify_second_step",
        &[("method_id", &id), ("code", code.as_str())],
    )
    .await?;
    anyhow::ensure!(res.status().is_success(), "second step: {}", res.status());
    let started = Instant::now();
    for _ in 0..count {
        clock.advance_secs(30);
        let code = code_now(&clock)?;
        let res = post(
            &browser,
            &base,
            "/api/confirm_identity",
            &[("method_id", &id), ("code", code.as_str())],
        )
        .await?;
        anyhow::ensure!(res.status().is_success(), "confirm: {}", res.status());
    }
    let http_rate = count as f64 / started.elapsed().as_secs_f64();
    println!("TOTP verifications/s, service layer with replay write (SQLite): {service_rate:8.0}");
    println!("TOTP verifications/s, HTTP confirm-identity, one client       : {http_rate:8.0}");
    app.stop().await
}
