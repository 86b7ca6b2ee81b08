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
    outbox::enqueue(
        exec,
        NewMessage {
            channel: OutboxChannel::Email,
            user: Some(notice.user),
            recipient: notice.email,
            subject: notice.subject,
            body: notice.body,
            now,
        },
    )
    .await?;
    Ok(())
}
