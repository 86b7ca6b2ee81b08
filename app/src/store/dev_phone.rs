//! The `dev_phone_messages` table: what the development phone provider "sent", read
//! on `/dev/phone` in development mode only.

use super::{Db, Exec};
use crate::domain::views::DevMessageKind;
use anyhow::Context;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DevMessageRow {
    pub id: i64,
    pub kind: DevMessageKind,
    pub to_number: String,
    pub body: String,
    pub call_token: Option<String>,
    pub created_at: i64,
    pub answer: Option<String>,
}

pub async fn insert<'e>(
    exec: impl Exec<'e>,
    kind: DevMessageKind,
    to_number: &str,
    body: &str,
    call_token: Option<&str>,
    now: i64,
) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO dev_phone_messages (kind, to_number, body, call_token, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(kind)
    .bind(to_number)
    .bind(body)
    .bind(call_token)
    .bind(now)
    .fetch_one(exec)
    .await
    .context("storing a development phone message")
}

/// The latest messages, newest first.
pub async fn latest(db: &Db, limit: i64) -> anyhow::Result<Vec<DevMessageRow>> {
    sqlx::query_as::<_, DevMessageRow>(
        "SELECT id, kind, to_number, body, call_token, created_at, answer \
         FROM dev_phone_messages ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .context("listing development phone messages")
}

/// Records how a call was answered; `None` when it was answered already.
pub async fn answer(db: &Db, id: i64, answer: &str) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar(
        "UPDATE dev_phone_messages SET answer = $2 \
         WHERE id = $1 AND kind = 'call' AND answer IS NULL RETURNING call_token",
    )
    .bind(id)
    .bind(answer)
    .fetch_optional(db.pool())
    .await
    .context("answering a development call")
    .map(Option::flatten)
}
