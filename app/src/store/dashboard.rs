//! Counts for the admin dashboard: one grouped statement per figure.

use super::{Db, Flag};
use anyhow::Context;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SignInCount {
    pub auth_type: String,
    pub result_code: i64,
    #[sqlx(try_from = "Flag")]
    pub succeeded: bool,
    /// Since the day's start, the week's start, the month's start.
    pub day: i64,
    pub week: i64,
    pub month: i64,
}

/// Sign-in events of the last day, week and month, grouped by how and with what
/// result, in one pass over the month (the `sign_in_events_dashboard` index holds
/// every column it reads).
pub async fn sign_ins_by_period(
    db: &Db,
    day_start: i64,
    week_start: i64,
    month_start: i64,
) -> anyhow::Result<Vec<SignInCount>> {
    sqlx::query_as::<_, SignInCount>(
        "SELECT auth_type, result_code, succeeded, \
         SUM(CASE WHEN occurred_at >= $1 THEN 1 ELSE 0 END) AS day, \
         SUM(CASE WHEN occurred_at >= $2 THEN 1 ELSE 0 END) AS week, \
         COUNT(*) AS month FROM sign_in_events \
         WHERE occurred_at >= $3 GROUP BY auth_type, result_code, succeeded",
    )
    .bind(day_start)
    .bind(week_start)
    .bind(month_start)
    .fetch_all(db.pool())
    .await
    .context("counting recent sign-ins")
}

#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Coverage {
    pub users: i64,
    pub with_method: i64,
    pub with_app: i64,
    /// An assigned OATH hardware token (a `totp` method whose seed came from a token).
    pub with_token: i64,
    pub with_phone: i64,
    /// MFA enforced and no active method.
    pub enforced_unregistered: i64,
    pub disabled: i64,
    pub blocked: i64,
}

const ACTIVE: &str = "SELECT 1 FROM mfa_methods m WHERE m.user_id = u.id AND m.status = 'active'";
/// The method `m` is an assigned hardware token (`hardware_tokens.method_id` is unique,
/// so this is an index lookup).
const TOKEN: &str = "SELECT 1 FROM hardware_tokens h WHERE h.method_id = m.id";

pub async fn coverage(db: &Db) -> anyhow::Result<Coverage> {
    let sql = format!(
        "SELECT COUNT(*) AS users, \
         COALESCE(SUM(CASE WHEN EXISTS ({ACTIVE}) THEN 1 ELSE 0 END), 0) AS with_method, \
         COALESCE(SUM(CASE WHEN EXISTS ({ACTIVE} AND m.kind = 'totp' AND NOT EXISTS ({TOKEN})) \
           THEN 1 ELSE 0 END), 0) AS with_app, \
         COALESCE(SUM(CASE WHEN EXISTS ({ACTIVE} AND m.kind = 'totp' AND EXISTS ({TOKEN})) \
           THEN 1 ELSE 0 END), 0) AS with_token, \
         COALESCE(SUM(CASE WHEN EXISTS ({ACTIVE} AND m.kind = 'phone') THEN 1 ELSE 0 END), 0) AS with_phone, \
         COALESCE(SUM(CASE WHEN u.mfa_state = 'enforced' AND NOT EXISTS ({ACTIVE}) THEN 1 ELSE 0 END), 0) \
           AS enforced_unregistered, \
         COALESCE(SUM(CASE WHEN u.disabled_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS disabled, \
         COALESCE(SUM(CASE WHEN u.blocked_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS blocked \
         FROM users u"
    );
    sqlx::query_as::<_, Coverage>(&sql)
        .fetch_one(db.pool())
        .await
        .context("measuring registration coverage")
}

pub async fn open_fraud_reports(db: &Db) -> anyhow::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM fraud_reports WHERE status = 'open'")
        .fetch_one(db.pool())
        .await
        .context("counting open fraud reports")
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxCount {
    pub channel: String,
    pub status: String,
    pub n: i64,
}

/// Messages in the outbox by channel and state (pending, sent, failed).
pub async fn outbox(db: &Db) -> anyhow::Result<Vec<OutboxCount>> {
    sqlx::query_as::<_, OutboxCount>(
        "SELECT channel, status, COUNT(*) AS n FROM outbox GROUP BY channel, status",
    )
    .fetch_all(db.pool())
    .await
    .context("counting outbox messages")
}
