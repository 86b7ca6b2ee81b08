//! The `setup_links` table: e-mailed links with which a person chooses their first
//! password. Only the token's keyed hash is stored; a link is used in one
//! conditional statement, so it works once however many browsers try at once.

use super::{Db, Exec, UserId};
use anyhow::Context;

pub struct NewLink<'a> {
    pub user: UserId,
    pub token_mac: &'a str,
    pub sent_by: UserId,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert<'e>(exec: impl Exec<'e>, link: NewLink<'_>) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO setup_links (user_id, token_mac, sent_by_user_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(link.user.0)
    .bind(link.token_mac)
    .bind(link.sent_by.0)
    .bind(link.now)
    .bind(link.expires_at)
    .execute(exec)
    .await
    .context("storing a set-up link")?;
    Ok(())
}

/// Revokes the person's links that still work; returns how many.
pub async fn revoke_live<'e>(exec: impl Exec<'e>, user: UserId, now: i64) -> anyhow::Result<u64> {
    let done = sqlx::query(
        "UPDATE setup_links SET revoked_at = $2 WHERE user_id = $1 AND used_at IS NULL \
         AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(user.0)
    .bind(now)
    .execute(exec)
    .await
    .context("revoking set-up links")?;
    Ok(done.rows_affected())
}

/// The live link of this token: its id and person.
pub async fn find_live(
    db: &Db,
    token_mac: &str,
    now: i64,
) -> anyhow::Result<Option<(i64, UserId)>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT id, user_id FROM setup_links WHERE token_mac = $1 AND used_at IS NULL \
         AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(token_mac)
    .bind(now)
    .fetch_optional(db.pool())
    .await
    .context("reading a set-up link")?;
    Ok(row.map(|(id, user)| (id, UserId(user))))
}

/// Uses the link `id` if it still works: true for exactly one caller.
pub async fn claim<'e>(exec: impl Exec<'e>, id: i64, now: i64) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE setup_links SET used_at = $2 WHERE id = $1 AND used_at IS NULL \
         AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(id)
    .bind(now)
    .execute(exec)
    .await
    .context("using a set-up link")?;
    Ok(done.rows_affected() == 1)
}
