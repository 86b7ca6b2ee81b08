//! The `remembered_devices` table: browsers allowed to skip the second step.

use super::{Db, Exec, UserId};
use anyhow::Context;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DeviceRow {
    pub id: i64,
    pub label: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub last_used_at: Option<i64>,
}

pub async fn insert(
    db: &Db,
    user: UserId,
    token_mac: &str,
    label: &str,
    now: i64,
    expires_at: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO remembered_devices (user_id, token_mac, label, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user.0)
    .bind(token_mac)
    .bind(label)
    .bind(now)
    .bind(expires_at)
    .execute(db.pool())
    .await
    .context("remembering a device")?;
    Ok(())
}

/// Marks the device used and says whether it is valid for `user` right now.
pub async fn use_if_valid(
    db: &Db,
    user: UserId,
    token_mac: &str,
    now: i64,
) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE remembered_devices SET last_used_at = $3 WHERE user_id = $1 AND token_mac = $2 \
         AND revoked_at IS NULL AND expires_at > $3",
    )
    .bind(user.0)
    .bind(token_mac)
    .bind(now)
    .execute(db.pool())
    .await
    .context("checking a remembered device")?;
    Ok(result.rows_affected() == 1)
}

pub async fn list_valid(db: &Db, user: UserId, now: i64) -> anyhow::Result<Vec<DeviceRow>> {
    sqlx::query_as::<_, DeviceRow>(
        "SELECT id, label, created_at, expires_at, last_used_at FROM remembered_devices \
         WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY id DESC",
    )
    .bind(user.0)
    .bind(now)
    .fetch_all(db.pool())
    .await
    .context("listing remembered devices")
}

pub async fn revoke(db: &Db, user: UserId, id: i64, now: i64) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE remembered_devices SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(user.0)
    .bind(now)
    .execute(db.pool())
    .await
    .context("forgetting a device")?;
    Ok(result.rows_affected() == 1)
}

/// Forgets every device of the user (e.g. when the password changes).
pub async fn revoke_all<'e>(exec: impl Exec<'e>, user: UserId, now: i64) -> anyhow::Result<u64> {
    let result = sqlx::query(
        "UPDATE remembered_devices SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user.0)
    .bind(now)
    .execute(exec)
    .await
    .context("forgetting all devices")?;
    Ok(result.rows_affected())
}
