//! The `phone_sends` table: every text or call the portal asked for, counted by the
//! hourly abuse limits.

use super::{Exec, UserId};
use anyhow::Context;

pub struct NewSend<'a> {
    pub at: i64,
    pub e164: &'a str,
    pub region: &'a str,
    pub user: UserId,
    pub ip: &'a str,
    pub channel: &'a str,
}

pub async fn insert<'e>(exec: impl Exec<'e>, send: NewSend<'_>) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO phone_sends (sent_at, e164, region, user_id, ip, channel) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(send.at)
    .bind(send.e164)
    .bind(send.region)
    .bind(send.user.0)
    .bind(send.ip)
    .bind(send.channel)
    .execute(exec)
    .await
    .context("recording a phone send")?;
    Ok(())
}

/// Sends since `since` for the number, the user, the address and the region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecentSends {
    pub number: i64,
    pub user: i64,
    pub ip: i64,
    pub region: i64,
}

pub async fn recent<'e>(
    exec: impl Exec<'e>,
    since: i64,
    send: &NewSend<'_>,
) -> anyhow::Result<RecentSends> {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT \
         (SELECT COUNT(*) FROM phone_sends WHERE e164 = $2 AND sent_at >= $1) AS by_number, \
         (SELECT COUNT(*) FROM phone_sends WHERE user_id = $3 AND sent_at >= $1) AS by_user, \
         (SELECT COUNT(*) FROM phone_sends WHERE ip = $4 AND sent_at >= $1) AS by_ip, \
         (SELECT COUNT(*) FROM phone_sends WHERE region = $5 AND sent_at >= $1) AS by_region",
    )
    .bind(since)
    .bind(send.e164)
    .bind(send.user.0)
    .bind(send.ip)
    .bind(send.region)
    .fetch_one(exec)
    .await
    .context("counting recent phone sends")?;
    Ok(RecentSends {
        number: row.try_get("by_number")?,
        user: row.try_get("by_user")?,
        ip: row.try_get("by_ip")?,
        region: row.try_get("by_region")?,
    })
}

/// Forgets sends older than `before`: the limits look back one hour, and the audit
/// log keeps the refusals.
pub async fn delete_older_than(db: &super::Db, before: i64) -> anyhow::Result<u64> {
    let result = sqlx::query("DELETE FROM phone_sends WHERE sent_at < $1")
        .bind(before)
        .execute(db.pool())
        .await
        .context("forgetting old phone sends")?;
    Ok(result.rows_affected())
}
