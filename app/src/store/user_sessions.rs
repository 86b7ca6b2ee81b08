//! The `user_sessions` table: a description of each signed-in session (browser,
//! address, when last seen) for "Where you're signed in". Holds no session id.

use super::{Db, UserId};
use anyhow::Context;

pub struct NewUserSession<'a> {
    pub user: UserId,
    pub epoch: i64,
    pub now: i64,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct UserSessionRow {
    pub id: i64,
    pub started_at: i64,
    pub last_seen_at: i64,
    pub ip: String,
    pub user_agent: String,
}

pub async fn insert(db: &Db, new: NewUserSession<'_>) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO user_sessions (user_id, epoch, started_at, last_seen_at, ip, user_agent) \
         VALUES ($1, $2, $3, $3, $4, $5) RETURNING id",
    )
    .bind(new.user.0)
    .bind(new.epoch)
    .bind(new.now)
    .bind(new.ip)
    .bind(new.user_agent)
    .fetch_one(db.pool())
    .await
    .context("recording a new session")
}

pub async fn touch(db: &Db, id: i64, now: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE user_sessions SET last_seen_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(db.pool())
        .await
        .context("refreshing a session's last use")?;
    Ok(())
}

/// Moves the session into the user's new epoch (it survived "sign out everywhere").
pub async fn move_to_epoch(db: &Db, id: i64, epoch: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE user_sessions SET epoch = $2 WHERE id = $1")
        .bind(id)
        .bind(epoch)
        .execute(db.pool())
        .await
        .context("moving a session to a new epoch")?;
    Ok(())
}

pub async fn end(db: &Db, id: i64, now: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE user_sessions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(db.pool())
        .await
        .context("ending a session")?;
    Ok(())
}

/// The window in which a session still counts as live.
#[derive(Clone, Copy, Debug)]
pub struct LiveSince {
    pub epoch: i64,
    pub seen_after: i64,
    pub started_after: i64,
}

/// The user's sessions still live: current epoch, not ended, within the timeouts.
pub async fn live(db: &Db, user: UserId, since: LiveSince) -> anyhow::Result<Vec<UserSessionRow>> {
    sqlx::query_as::<_, UserSessionRow>(
        "SELECT id, started_at, last_seen_at, ip, user_agent FROM user_sessions \
         WHERE user_id = $1 AND epoch = $2 AND ended_at IS NULL AND last_seen_at >= $3 \
         AND started_at >= $4 ORDER BY last_seen_at DESC, id DESC LIMIT 50",
    )
    .bind(user.0)
    .bind(since.epoch)
    .bind(since.seen_after)
    .bind(since.started_after)
    .fetch_all(db.pool())
    .await
    .context("listing live sessions")
}

/// Forgets descriptions of sessions that ended or went quiet before `before`.
pub async fn delete_stale(db: &Db, before: i64) -> anyhow::Result<u64> {
    let result = sqlx::query("DELETE FROM user_sessions WHERE last_seen_at < $1")
        .bind(before)
        .execute(db.pool())
        .await
        .context("forgetting old sessions")?;
    Ok(result.rows_affected())
}
