//! Delivering the outbox: claim due messages with a lease (so two portal processes
//! never send one twice), send, and on failure retry with growing delays until a
//! dead-letter state. A mail outage delays messages; it never loses them.

use crate::providers::mail::{Email, MailError, Mailer};
use crate::state::Services;
use crate::store::outbox;

/// How long a claimed message is hidden from other workers while it is being sent.
const LEASE_SECS: i64 = 120;
const FIRST_RETRY_SECS: i64 = 30;
const MAX_RETRY_SECS: i64 = 3600;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub retrying: usize,
    pub dead: usize,
}

/// Sends up to `batch` due e-mails once; the worker calls this on a timer.
pub async fn deliver_due(
    state: &Services,
    mailer: &dyn Mailer,
    max_attempts: i64,
    batch: i64,
) -> anyhow::Result<DeliveryReport> {
    let now = state.clock.now();
    let claimed = outbox::claim_due_emails(&state.db, now, now + LEASE_SECS, batch).await?;
    let mut report = DeliveryReport::default();
    for message in claimed {
        let body = crate::services::notify::email_body(&state.keys, &message)?;
        let email = Email {
            to: &message.recipient,
            subject: &message.subject,
            body: &body,
        };
        match mailer.send(email).await {
            Ok(()) => {
                outbox::mark_sent(&state.db, message.id, state.clock.now()).await?;
                if message.sealed {
                    // A secret has no business staying around once delivered.
                    outbox::redact_body(&state.db, message.id).await?;
                }
                report.sent += 1;
            }
            Err(err) => {
                let failure = Failure {
                    permanent: matches!(err, MailError::Permanent(_)),
                    error: &err.to_string(),
                    max_attempts,
                    retry_delay,
                };
                if record_failure(state, &message, failure).await? {
                    report.dead += 1;
                } else {
                    report.retrying += 1;
                }
            }
        }
    }
    Ok(report)
}

/// A failed delivery attempt, as the worker saw it.
pub struct Failure<'a> {
    /// Will not work however often it is tried.
    pub permanent: bool,
    pub error: &'a str,
    pub max_attempts: i64,
    /// The wait before the next try, from the number of attempts so far.
    pub retry_delay: fn(i64) -> i64,
}

/// Records a failed attempt: the message is tried again later, or, when the failure
/// is permanent or the attempts are used up, left as failed. Returns whether it is
/// now dead.
pub async fn record_failure(
    state: &Services,
    message: &outbox::ClaimedMessage,
    failure: Failure<'_>,
) -> anyhow::Result<bool> {
    let attempts = message.attempts + 1;
    let dead = failure.permanent || attempts >= failure.max_attempts;
    let retry_at = state.clock.now() + (failure.retry_delay)(attempts);
    outbox::mark_failed(
        &state.db,
        message.id,
        attempts,
        retry_at,
        failure.error,
        dead,
    )
    .await?;
    let (id, channel, error) = (message.id, &message.channel, failure.error);
    if dead {
        tracing::error!(message_id = id, %channel, attempts, %error, "undeliverable; left in the outbox as failed");
    } else {
        tracing::warn!(message_id = id, %channel, attempts, %error, "not delivered; will retry");
    }
    Ok(dead)
}

/// 30 s after the first failure, doubling, at most an hour.
pub fn retry_delay(attempts: i64) -> i64 {
    doubling_delay(FIRST_RETRY_SECS, MAX_RETRY_SECS, attempts)
}

/// `first` seconds after the first failed attempt, doubling with each further one,
/// at most `max`.
pub fn doubling_delay(first: i64, max: i64, attempts: i64) -> i64 {
    let doublings = u32::try_from((attempts - 1).clamp(0, 30)).unwrap_or(30);
    first.saturating_mul(1_i64 << doublings).min(max)
}

#[cfg(test)]
mod tests {
    use super::retry_delay;

    #[test]
    fn retries_back_off_from_thirty_seconds_to_an_hour() {
        assert_eq!(retry_delay(1), 30);
        assert_eq!(retry_delay(2), 60);
        assert_eq!(retry_delay(4), 240);
        assert_eq!(retry_delay(20), 3600);
    }
}
