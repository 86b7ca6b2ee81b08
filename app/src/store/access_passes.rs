//! The `access_passes` table: temporary access passes, kept as keyed hashes.

use super::{Db, Exec, UserId};
use anyhow::Context;

pub struct NewPass<'a> {
    pub user: UserId,
    pub pass_mac: &'a str,
    pub issued_by_user: UserId,
    pub issued_by: &'a str,
    pub now: i64,
    pub expires_at: i64,
    pub uses: i64,
}

/// Revokes the person's live passes (a new one replaces them); how many it ended.
pub async fn revoke_live<'e>(exec: impl Exec<'e>, user: UserId, now: i64) -> anyhow::Result<u64> {
    let result = sqlx::query(
        "UPDATE access_passes SET revoked_at = $2 \
         WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND uses_left > 0",
    )
    .bind(user.0)
    .bind(now)
    .execute(exec)
    .await
    .context("revoking access passes")?;
    Ok(result.rows_affected())
}

pub async fn insert<'e>(exec: impl Exec<'e>, pass: NewPass<'_>) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO access_passes (user_id, pass_mac, issued_by_user_id, issued_by, issued_at, \
         expires_at, uses_left) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(pass.user.0)
    .bind(pass.pass_mac)
    .bind(pass.issued_by_user.0)
    .bind(pass.issued_by)
    .bind(pass.now)
    .bind(pass.expires_at)
    .bind(pass.uses)
    .execute(exec)
    .await
    .context("storing an access pass")?;
    Ok(())
}

/// Uses the person's live pass with this MAC once: one conditional statement, so
/// parallel sign-ins with a single-use pass give exactly one success. Returns the
/// uses left after this one, or `None` when no live pass matched.
pub async fn claim_use(
    db: &Db,
    user: UserId,
    pass_mac: &str,
    now: i64,
) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar(
        "UPDATE access_passes SET uses_left = uses_left - 1, last_used_at = $3 \
         WHERE user_id = $1 AND pass_mac = $2 AND revoked_at IS NULL AND expires_at > $3 \
         AND uses_left > 0 RETURNING uses_left",
    )
    .bind(user.0)
    .bind(pass_mac)
    .bind(now)
    .fetch_optional(db.pool())
    .await
    .context("using an access pass")
}

/// When the person's live pass ends and how many sign-ins it still allows.
pub async fn live_for(db: &Db, user: UserId, now: i64) -> anyhow::Result<Option<(i64, i64)>> {
    sqlx::query_as(
        "SELECT expires_at, uses_left FROM access_passes WHERE user_id = $1 \
         AND revoked_at IS NULL AND expires_at > $2 AND uses_left > 0 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(user.0)
    .bind(now)
    .fetch_optional(db.pool())
    .await
    .context("reading a live access pass")
}
