//! The `policy_settings` table: policy an admin changes while the portal runs.

use super::{Db, Exec};
use anyhow::Context;

pub async fn all(db: &Db) -> anyhow::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT key, value FROM policy_settings ORDER BY key")
        .fetch_all(db.pool())
        .await
        .context("reading the policy settings")
}

pub async fn set<'e>(exec: impl Exec<'e>, key: &str, value: &str, now: i64) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO policy_settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(now)
    .execute(exec)
    .await
    .context("storing a policy setting")?;
    Ok(())
}
