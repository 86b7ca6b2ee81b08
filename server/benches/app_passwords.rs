//! App-password verifications per second through `POST /api/v1/app-password/verify`
//! (HTTP Basic, keyed-hash lookup, sign-in event row, last-used update), two clients
//! in parallel. Prints figures; asserts nothing.
//!
//! cargo bench -p server --bench app_passwords   (BENCH_APP_PASSWORDS to scale)

mod common;

use app::domain::{MethodName, MfaState};
use app::services::app_passwords;
use common::{client, create_user, env_count, start, verified_caller};
use secrecy::ExposeSecret;
use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let count = env_count("BENCH_APP_PASSWORDS", 2000);
    let dir = tempfile::tempdir()?;
    let app = start(&dir, None).await?;
    let user = create_user(&app.state, "apps-bench", MfaState::Enabled).await?;
    let caller = verified_caller(&app.state, user).await?;
    let ip = "127.0.0.1".parse()?;
    let created = app_passwords::create(&app.state, &caller, &MethodName::parse("Bench mail")?, ip)
        .await?
        .map_err(|refusal| anyhow::anyhow!("{refusal:?}"))?;
    let password = created.password.expose_secret().to_owned();
    let url = format!("{}/api/v1/app-password/verify", app.url());
    let workers = 2;
    let started = Instant::now();
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let (url, password) = (url.clone(), password.clone());
            let share = count / workers + usize::from(w < count % workers);
            tokio::spawn(async move {
                let http = client()?;
                for _ in 0..share {
                    let res = http
                        .post(&url)
                        .basic_auth("apps-bench", Some(&password))
                        .send()
                        .await?;
                    anyhow::ensure!(
                        res.status().is_success(),
                        "verify answered {}",
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
    let rate = count as f64 / started.elapsed().as_secs_f64();
    println!("app-password verifications/s over HTTP ({workers} clients, SQLite): {rate:8.0}");
    app.stop().await
}
