//! The `rate_limits` table: fixed-window counters shared by every portal instance.
//! An attempt is counted and judged in one upsert, so a burst of parallel requests
//! cannot slip past a limit between a read and a write.

use super::Exec;
use anyhow::Context;

/// One counted attempt against `limit` hits per `window_secs`.
#[derive(Clone, Copy, Debug)]
pub struct Hit<'a> {
    pub bucket: &'a str,
    pub limit: i64,
    pub window_secs: i64,
    pub now: i64,
}

/// Counts the attempt and returns whether it is within the limit. The window is
/// aligned to multiples of `window_secs`; a new window starts counting at one.
/// On PostgreSQL the conflicting row is locked for the rest of the transaction, so
/// inside a transaction the hit also serialises concurrent claimers of the bucket.
pub async fn hit<'e>(exec: impl Exec<'e>, hit: Hit<'_>) -> anyhow::Result<bool> {
    let window = hit.window_secs.max(1);
    let window_start = hit.now - hit.now.rem_euclid(window);
    let hits: i64 = sqlx::query_scalar(
        "INSERT INTO rate_limits (bucket, window_start, hits, expires_at) VALUES ($1, $2, 1, $3) \
         ON CONFLICT (bucket) DO UPDATE SET \
           hits = CASE WHEN rate_limits.window_start = excluded.window_start \
                  THEN rate_limits.hits + 1 ELSE 1 END, \
           window_start = excluded.window_start, expires_at = excluded.expires_at \
         RETURNING hits",
    )
    .bind(hit.bucket)
    .bind(window_start)
    .bind(window_start + window)
    .fetch_one(exec)
    .await
    .context("counting a rate-limited attempt")?;
    Ok(hits <= hit.limit)
}

/// Forgets windows that are over.
pub async fn delete_expired<'e>(exec: impl Exec<'e>, now: i64) -> anyhow::Result<u64> {
    let result = sqlx::query("DELETE FROM rate_limits WHERE expires_at <= $1")
        .bind(now)
        .execute(exec)
        .await
        .context("forgetting finished rate-limit windows")?;
    Ok(result.rows_affected())
}
