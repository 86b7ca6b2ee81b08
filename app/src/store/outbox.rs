//! The `outbox` table: messages waiting for the delivery worker.

use super::{Db, Exec, UserId};
use anyhow::Context;

crate::text_enum! {
    /// How a queued message goes out (the `channel` column).
    pub enum OutboxChannel {
        Email = "email",
        Sms = "sms",
        Voice = "voice",
    }
}

pub struct NewMessage<'a> {
    pub channel: OutboxChannel,
    pub user: Option<UserId>,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// The body is sealed (`Keys::seal`): it carries a secret.
    pub sealed: bool,
    pub now: i64,
}

pub async fn enqueue<'e>(exec: impl Exec<'e>, message: NewMessage<'_>) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO outbox (channel, user_id, recipient, subject, body, sealed, created_at, \
         next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(message.channel)
    .bind(message.user.map(|u| u.0))
    .bind(message.recipient)
    .bind(message.subject)
    .bind(message.body)
    .bind(i64::from(message.sealed))
    .bind(message.now)
    .fetch_one(exec)
    .await
    .context("queueing a message")
}

#[derive(sqlx::FromRow)]
pub struct ClaimedMessage {
    pub id: i64,
    pub channel: OutboxChannel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    #[sqlx(try_from = "super::Flag")]
    pub sealed: bool,
    pub attempts: i64,
}

/// Which worker claims: e-mail, or texts and calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channels {
    Email,
    Phone,
}

impl Channels {
    fn condition(self) -> &'static str {
        match self {
            Channels::Email => "channel = 'email'",
            Channels::Phone => "channel IN ('sms', 'voice')",
        }
    }
}

/// Claims due pending e-mails by pushing their next attempt to `lease_until`.
pub async fn claim_due_emails(
    db: &Db,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> anyhow::Result<Vec<ClaimedMessage>> {
    claim_due(db, Channels::Email, now, lease_until, limit).await
}

/// Claims due pending messages of `channels` by pushing their next attempt to
/// `lease_until`. The re-check in the outer WHERE makes a concurrent claimer skip
/// rows just taken.
pub async fn claim_due(
    db: &Db,
    channels: Channels,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> anyhow::Result<Vec<ClaimedMessage>> {
    let sql = format!(
        "UPDATE outbox SET next_attempt_at = $2 WHERE id IN (SELECT id FROM outbox WHERE \
         {} AND status = 'pending' AND next_attempt_at <= $1 ORDER BY id LIMIT $3) \
         AND status = 'pending' AND next_attempt_at <= $1 \
         RETURNING id, channel, recipient, subject, body, sealed, attempts",
        channels.condition()
    );
    let mut claimed: Vec<ClaimedMessage> = sqlx::query_as(&sql)
        .bind(now)
        .bind(lease_until)
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .context("claiming due messages")?;
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

/// Blanks a sent message's body: a text's code has no business staying around.
pub async fn redact_body(db: &Db, id: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE outbox SET body = '' WHERE id = $1")
        .bind(id)
        .execute(db.pool())
        .await
        .context("blanking a sent message")?;
    Ok(())
}

pub async fn mark_sent(db: &Db, id: i64, now: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE outbox SET status = 'sent', attempts = attempts + 1, next_attempt_at = $2, last_error = NULL WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(db.pool())
        .await
        .context("marking a message sent")?;
    Ok(())
}

pub async fn mark_failed(
    db: &Db,
    id: i64,
    attempts: i64,
    retry_at: i64,
    error: &str,
    dead: bool,
) -> anyhow::Result<()> {
    let status = if dead { "failed" } else { "pending" };
    sqlx::query("UPDATE outbox SET status = $2, attempts = $3, next_attempt_at = $4, last_error = $5 WHERE id = $1")
        .bind(id)
        .bind(status)
        .bind(attempts)
        .bind(retry_at)
        .bind(error)
        .execute(db.pool())
        .await
        .context("recording a failed delivery")?;
    Ok(())
}
