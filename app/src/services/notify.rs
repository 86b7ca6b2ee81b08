//! Telling people about changes to their account through an independent channel
//! (e-mail via the outbox; delivery is the worker's job).

use crate::state::Services;
use crate::store::outbox::OutboxChannel;
use crate::store::outbox::{self, NewMessage};
use crate::store::{Exec, UserId};

pub struct Notice<'a> {
    pub user: UserId,
    pub email: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

pub async fn email(state: &Services, notice: Notice<'_>) -> anyhow::Result<()> {
    email_in(state.db.pool(), state.clock.now(), notice).await
}

/// Queues the e-mail on `exec`: on a transaction it goes only if the change lands.
pub async fn email_in<'e>(exec: impl Exec<'e>, now: i64, notice: Notice<'_>) -> anyhow::Result<()> {
    enqueue(exec, now, &notice, notice.body, false).await
}

/// Queues `notice` with `body` as stored (sealed or not).
async fn enqueue<'e>(
    exec: impl Exec<'e>,
    now: i64,
    notice: &Notice<'_>,
    body: &str,
    sealed: bool,
) -> anyhow::Result<()> {
    let message = NewMessage {
        channel: OutboxChannel::Email,
        user: Some(notice.user),
        recipient: notice.email,
        subject: notice.subject,
        body,
        sealed,
        now,
    };
    outbox::enqueue(exec, message).await?;
    Ok(())
}

/// The sealing context of an e-mail body: bound to its recipient, as texts are.
fn sealing_context(recipient: &str) -> String {
    format!("outbox-email:{recipient}")
}

/// Queues an e-mail that carries a secret (a set-up link): the body is sealed in
/// the outbox, opened only by the delivery worker, and blanked once sent.
pub async fn secret_email_in<'e>(
    exec: impl Exec<'e>,
    keys: &crate::services::secret_box::Keys,
    now: i64,
    notice: Notice<'_>,
) -> anyhow::Result<()> {
    let sealed = keys.seal(notice.body.as_bytes(), &sealing_context(notice.email))?;
    enqueue(exec, now, &notice, &sealed, true).await
}

/// The body of a queued e-mail as it is sent: opened when it was sealed.
pub fn email_body(
    keys: &crate::services::secret_box::Keys,
    message: &outbox::ClaimedMessage,
) -> anyhow::Result<String> {
    if !message.sealed {
        return Ok(message.body.clone());
    }
    let plain = keys.open(&message.body, &sealing_context(&message.recipient))?;
    String::from_utf8(plain.to_vec()).map_err(|_| anyhow::anyhow!("a sealed e-mail is not text"))
}
