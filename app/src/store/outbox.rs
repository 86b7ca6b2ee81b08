//! The `outbox` table: messages waiting for the delivery worker.

use super::{Db, UserId};
use anyhow::Context;

pub struct NewMessage<'a> {
    pub channel: &'a str,
    pub user: Option<UserId>,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub now: i64,
}

pub async fn enqueue(db: &Db, message: NewMessage<'_>) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO outbox (channel, user_id, recipient, subject, body, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(message.channel)
    .bind(message.user.map(|u| u.0))
    .bind(message.recipient)
    .bind(message.subject)
    .bind(message.body)
    .bind(message.now)
    .fetch_one(db.pool())
    .await
    .context("queueing a message")
}

/// Subjects of the messages queued for a user, oldest first.
pub async fn subjects_for(db: &Db, user: UserId) -> anyhow::Result<Vec<String>> {
    sqlx::query_scalar("SELECT subject FROM outbox WHERE user_id = $1 ORDER BY id")
        .bind(user.0)
        .fetch_all(db.pool())
        .await
        .context("listing queued messages")
}
