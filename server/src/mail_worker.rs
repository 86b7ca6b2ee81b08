//! The outbox worker: sends due e-mails on a timer when an SMTP server is configured.

use crate::config::Config;
use app::providers::mail::{Mailer, SmtpMailer, SmtpSettings};
use app::services::outbox_delivery::deliver_due;
use app::state::AppState;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

const BATCH: i64 = 50;

/// Starts the worker, or returns `None` when no `smtp_host` is set.
pub fn spawn(config: &Config, state: &AppState) -> anyhow::Result<Option<JoinHandle<()>>> {
    let Some(host) = config.smtp_host.clone() else {
        tracing::info!("no smtp_host configured: e-mails stay in the outbox");
        return Ok(None);
    };
    let mailer: Arc<dyn Mailer> = Arc::new(SmtpMailer::new(SmtpSettings {
        host,
        port: config.smtp_port,
        tls: config.smtp_tls,
        username: config.smtp_username.clone(),
        password: config.smtp_password.clone(),
        from: config.mail_from.clone(),
    })?);
    let state = state.clone();
    let every = Duration::from_secs(u64::from(config.outbox_poll_seconds));
    let max_attempts = i64::from(config.outbox_max_attempts);
    Ok(Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            // Drain what is due, a batch at a time.
            loop {
                match deliver_due(&state, mailer.as_ref(), max_attempts, BATCH).await {
                    Ok(report) if report.sent + report.retrying + report.dead == BATCH as usize => {
                        continue;
                    }
                    Ok(_) => break,
                    Err(err) => {
                        tracing::error!(error = ?err, "outbox delivery failed");
                        break;
                    }
                }
            }
        }
    })))
}
