//! The `app_passwords` table. Every statement but the lookup by MAC is scoped by
//! the owning user.

use super::{Db, Exec, UserId};
use anyhow::Context;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AppPasswordRow {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub last_used_ip: Option<String>,
}

/// Inserts unless the user already has `cap` live app passwords; one statement, so
/// concurrent creations cannot exceed the cap. Returns the new id, or `None` at the cap.
pub async fn insert_under_cap<'e>(
    exec: impl Exec<'e>,
    user: UserId,
    name: &str,
    secret_mac: &str,
    now: i64,
    cap: i64,
) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar(
        "INSERT INTO app_passwords (user_id, name, secret_mac, created_at) \
         SELECT $1, $2, $3, $4 WHERE (SELECT COUNT(*) FROM app_passwords \
         WHERE user_id = $1 AND revoked_at IS NULL) < $5 RETURNING id",
    )
    .bind(user.0)
    .bind(name)
    .bind(secret_mac)
    .bind(now)
    .bind(cap)
    .fetch_optional(exec)
    .await
    .context("creating an app password")
}

pub async fn list_live(db: &Db, user: UserId) -> anyhow::Result<Vec<AppPasswordRow>> {
    sqlx::query_as::<_, AppPasswordRow>(
        "SELECT id, name, created_at, last_used_at, last_used_ip FROM app_passwords \
         WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id DESC",
    )
    .bind(user.0)
    .fetch_all(db.pool())
    .await
    .context("listing app passwords")
}

/// The live app password of `user` with this MAC: its id and name.
pub async fn find_live(
    db: &Db,
    user: UserId,
    secret_mac: &str,
) -> anyhow::Result<Option<(i64, String)>> {
    sqlx::query_as(
        "SELECT id, name FROM app_passwords WHERE user_id = $1 AND secret_mac = $2 AND revoked_at IS NULL",
    )
    .bind(user)
    .bind(secret_mac)
    .fetch_optional(db.pool())
    .await
    .context("looking up an app password")
}

pub async fn touch(db: &Db, id: i64, now: i64, ip: &str) -> anyhow::Result<()> {
    sqlx::query("UPDATE app_passwords SET last_used_at = $2, last_used_ip = $3 WHERE id = $1")
        .bind(id)
        .bind(now)
        .bind(ip)
        .execute(db.pool())
        .await
        .context("recording an app password's use")?;
    Ok(())
}

pub async fn revoke(db: &Db, user: UserId, id: i64, now: i64) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar(
        "UPDATE app_passwords SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING name",
    )
    .bind(id)
    .bind(user.0)
    .bind(now)
    .fetch_optional(db.pool())
    .await
    .context("revoking an app password")
}

pub async fn revoke_all<'e>(exec: impl Exec<'e>, user: UserId, now: i64) -> anyhow::Result<u64> {
    let result = sqlx::query(
        "UPDATE app_passwords SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user.0)
    .bind(now)
    .execute(exec)
    .await
    .context("revoking all app passwords")?;
    Ok(result.rows_affected())
}
