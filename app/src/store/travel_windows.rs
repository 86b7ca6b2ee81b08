//! The `travel_windows` table: planned trips with the method to use while away.

use super::{Db, Exec, UserId};
use anyhow::Context;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TravelWindowRow {
    pub id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub method: String,
    pub note: String,
}

pub struct NewTravelWindow<'a> {
    pub user: UserId,
    pub starts_at: i64,
    pub ends_at: i64,
    pub method: &'a str,
    pub note: &'a str,
    pub now: i64,
}

/// Inserts the window unless it overlaps a live one of the user's; both in one
/// statement so two requests cannot add overlapping windows. `None` on overlap.
pub async fn insert_unless_overlapping<'e>(
    exec: impl Exec<'e>,
    window: NewTravelWindow<'_>,
) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar(
        "INSERT INTO travel_windows (user_id, starts_at, ends_at, method, note, created_at) \
         SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM travel_windows \
         WHERE user_id = $1 AND cancelled_at IS NULL AND starts_at < $3 AND ends_at > $2) \
         RETURNING id",
    )
    .bind(window.user.0)
    .bind(window.starts_at)
    .bind(window.ends_at)
    .bind(window.method)
    .bind(window.note)
    .bind(window.now)
    .fetch_optional(exec)
    .await
    .context("adding a travel window")
}

/// Windows not cancelled and not over at `now`, soonest first.
pub async fn current_and_upcoming(
    db: &Db,
    user: UserId,
    now: i64,
) -> anyhow::Result<Vec<TravelWindowRow>> {
    sqlx::query_as::<_, TravelWindowRow>(
        "SELECT id, starts_at, ends_at, method, note FROM travel_windows \
         WHERE user_id = $1 AND cancelled_at IS NULL AND ends_at > $2 ORDER BY starts_at, id",
    )
    .bind(user.0)
    .bind(now)
    .fetch_all(db.pool())
    .await
    .context("listing travel windows")
}

/// Cancels the user's window if it is not over yet.
pub async fn cancel(db: &Db, user: UserId, id: i64, now: i64) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE travel_windows SET cancelled_at = $3 \
         WHERE id = $1 AND user_id = $2 AND cancelled_at IS NULL AND ends_at > $3",
    )
    .bind(id)
    .bind(user.0)
    .bind(now)
    .execute(db.pool())
    .await
    .context("cancelling a travel window")?;
    Ok(result.rows_affected() == 1)
}
