//! Delivering queued texts and calls: claimed with a lease like e-mails, opened,
//! handed to the provider, and on failure retried after 5, 10, 20… seconds (a code
//! lives ten minutes, so waiting an hour like e-mail would be pointless). When the
//! last attempt fails the challenge is marked unreachable, so the waiting page can
//! say "We could not reach your phone". A sent body is blanked.

use super::outbox_delivery::{DeliveryReport, Failure, doubling_delay, record_failure};
use super::{phone_calls, phones};
use crate::providers::phone::{Call, CallScript, PhoneError, Sms, SmsSender, VoiceCaller};
use crate::state::Services;
use crate::store::outbox::{self, Channels, ClaimedMessage, OutboxChannel};

const LEASE_SECS: i64 = 60;
const FIRST_RETRY_SECS: i64 = 5;
const MAX_RETRY_SECS: i64 = 120;

pub struct PhoneProviders<'a> {
    pub sms: &'a dyn SmsSender,
    pub voice: &'a dyn VoiceCaller,
}

pub async fn deliver_due(
    state: &Services,
    providers: &PhoneProviders<'_>,
    max_attempts: i64,
    batch: i64,
) -> anyhow::Result<DeliveryReport> {
    let now = state.clock.now();
    let claimed =
        outbox::claim_due(&state.db, Channels::Phone, now, now + LEASE_SECS, batch).await?;
    let mut report = DeliveryReport::default();
    for message in claimed {
        match deliver_one(state, providers, &message).await {
            Ok(()) => {
                outbox::redact_body(&state.db, message.id).await?;
                outbox::mark_sent(&state.db, message.id, state.clock.now()).await?;
                report.sent += 1;
            }
            Err(err) => {
                let failure = Failure {
                    permanent: matches!(err, PhoneError::Permanent(_)),
                    error: &err.to_string(),
                    max_attempts,
                    retry_delay,
                };
                if record_failure(state, &message, failure).await? {
                    outbox::redact_body(&state.db, message.id).await?;
                    phone_calls::delivery_failed(state, message.id).await?;
                    report.dead += 1;
                } else {
                    report.retrying += 1;
                }
            }
        }
    }
    Ok(report)
}

async fn deliver_one(
    state: &Services,
    providers: &PhoneProviders<'_>,
    message: &ClaimedMessage,
) -> Result<(), PhoneError> {
    let body = phones::open_body(state, &message.recipient, &message.body)
        .map_err(|e| PhoneError::Permanent(format!("opening the message: {e:#}")))?;
    match message.channel {
        OutboxChannel::Sms => {
            providers
                .sms
                .send_sms(Sms {
                    to: &message.recipient,
                    body: &body,
                })
                .await?;
        }
        OutboxChannel::Voice => {
            let script: CallScript = serde_json::from_str(&body)
                .map_err(|e| PhoneError::Permanent(format!("reading the call: {e}")))?;
            providers
                .voice
                .place_call(Call {
                    to: &message.recipient,
                    script: &script,
                })
                .await?;
        }
        OutboxChannel::Email => {
            return Err(PhoneError::Permanent(
                "an e-mail in the phone queue".to_owned(),
            ));
        }
    }
    Ok(())
}

/// 5 s after the first failure, doubling, at most two minutes.
pub fn retry_delay(attempts: i64) -> i64 {
    doubling_delay(FIRST_RETRY_SECS, MAX_RETRY_SECS, attempts)
}

#[cfg(test)]
mod tests {
    use super::retry_delay;

    #[test]
    fn phone_retries_back_off_quickly_because_codes_expire() {
        assert_eq!(retry_delay(1), 5);
        assert_eq!(retry_delay(2), 10);
        assert_eq!(retry_delay(3), 20);
        assert_eq!(retry_delay(10), 120);
    }
}
