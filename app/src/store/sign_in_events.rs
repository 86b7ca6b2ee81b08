//! The `sign_in_events` table: one row per sign-in attempt, kept for history and audit.

use super::{Db, UserId};
use crate::domain::ResultCode;
use anyhow::Context;

pub struct NewSignInEvent<'a> {
    pub occurred_at: i64,
    pub user_id: Option<UserId>,
    /// Already escaped and bounded by the caller.
    pub username_typed: &'a str,
    pub ip: &'a str,
    pub user_agent: &'a str,
    pub auth_type: &'a str,
    /// "Portal", or the app password's name.
    pub app_name: &'a str,
    pub succeeded: bool,
    pub result_code: ResultCode,
}

pub async fn insert(db: &Db, event: NewSignInEvent<'_>) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO sign_in_events (occurred_at, user_id, username_typed, ip, user_agent, \
         auth_type, succeeded, result_code, app_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         RETURNING id",
    )
    .bind(event.occurred_at)
    .bind(event.user_id.map(|id| id.0))
    .bind(event.username_typed)
    .bind(event.ip)
    .bind(event.user_agent)
    .bind(event.auth_type)
    .bind(i64::from(event.succeeded))
    .bind(event.result_code.code())
    .bind(event.app_name)
    .fetch_one(db.pool())
    .await
    .context("recording a sign-in event")
}

/// Time and IP of the user's latest successful sign-in with an id below `before_id`.
pub async fn last_success_before(
    db: &Db,
    user: UserId,
    before_id: i64,
) -> anyhow::Result<Option<(i64, String)>> {
    sqlx::query_as(
        "SELECT occurred_at, ip FROM sign_in_events WHERE user_id = $1 AND succeeded = 1 \
         AND id < $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(user)
    .bind(before_id)
    .fetch_optional(db.pool())
    .await
    .context("finding the previous sign-in")
}
