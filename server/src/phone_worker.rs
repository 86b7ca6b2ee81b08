//! The phone outbox worker: delivers queued texts and calls through the configured
//! provider, woken at once when something is queued and on a timer for retries.

use crate::config::{Config, PhoneProviderKind};
use app::providers::dev_phone::DevPhone;
use app::providers::phone::{SmsSender, VoiceCaller};
use app::providers::twilio::{GatewaySettings, TwilioGateway};
use app::services::phone_delivery::{PhoneProviders, deliver_due};
use app::state::AppState;
use secrecy::SecretString;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

const BATCH: i64 = 20;
/// Retries fall due a few seconds apart, so look at least this often.
const RETRY_POLL: Duration = Duration::from_secs(1);

/// Starts the worker, or returns `None` when no phone provider is configured.
pub fn spawn(config: &Config, state: &AppState) -> anyhow::Result<Option<JoinHandle<()>>> {
    let provider: Arc<dyn Provider> = match config.phone_provider()? {
        PhoneProviderKind::None => {
            tracing::info!("no phone provider: phones cannot be added or used");
            return Ok(None);
        }
        PhoneProviderKind::Dev => {
            tracing::warn!("development phone provider: texts and calls appear on /dev/phone");
            Arc::new(DevPhone::new(state.db.clone(), state.clock.clone()))
        }
        PhoneProviderKind::Twilio => Arc::new(TwilioGateway::new(GatewaySettings {
            base_url: config.twilio_base_url.to_string(),
            account_sid: config.twilio_account_sid.clone().unwrap_or_default(),
            auth_token: config
                .twilio_auth_token
                .clone()
                .unwrap_or_else(|| SecretString::from(String::new())),
            from_number: config.twilio_from_number.clone().unwrap_or_default(),
            public_url: config.public_url.to_string(),
            timeout: Duration::from_secs(u64::from(config.twilio_timeout_seconds)),
        })?),
    };
    let state = state.clone();
    let max_attempts = i64::from(config.phone_max_attempts);
    Ok(Some(tokio::spawn(async move {
        loop {
            let providers = PhoneProviders {
                sms: provider.as_sms(),
                voice: provider.as_voice(),
            };
            loop {
                match deliver_due(&state, &providers, max_attempts, BATCH).await {
                    Ok(report) if report.sent + report.retrying + report.dead == BATCH as usize => {
                        continue;
                    }
                    Ok(_) => break,
                    Err(err) => {
                        tracing::error!(error = ?err, "phone delivery failed");
                        break;
                    }
                }
            }
            let _ = tokio::time::timeout(RETRY_POLL, state.phone_outbox.notified()).await;
        }
    })))
}

/// A provider that does both texts and calls.
trait Provider: SmsSender + VoiceCaller {
    fn as_sms(&self) -> &dyn SmsSender;
    fn as_voice(&self) -> &dyn VoiceCaller;
}

impl<T: SmsSender + VoiceCaller> Provider for T {
    fn as_sms(&self) -> &dyn SmsSender {
        self
    }
    fn as_voice(&self) -> &dyn VoiceCaller {
        self
    }
}
