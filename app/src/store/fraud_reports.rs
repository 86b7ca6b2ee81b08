//! The `fraud_reports` table: prompts and sign-ins a user says they did not make.
//! Shared by the history page ("This wasn't me"), phone calls (0#) and push denials.

use super::{Db, Exec, UserId};
use anyhow::Context;

crate::text_enum! {
    /// Where a report came from.
    pub enum ReportSource {
        History = "history",
        Call = "call",
        Push = "push",
    }
}

crate::text_enum! {
    /// Whether an admin has dealt with a report.
    pub enum ReportStatus {
        Open = "open",
        Resolved = "resolved",
    }
}

pub struct NewFraudReport<'a> {
    pub user: UserId,
    pub source: ReportSource,
    pub sign_in_event_id: Option<i64>,
    pub challenge_id: Option<&'a str>,
    pub reported_at: i64,
    pub ip: &'a str,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct FraudReportRow {
    pub id: i64,
    pub user_id: i64,
    pub source: ReportSource,
    pub sign_in_event_id: Option<i64>,
    pub reported_at: i64,
    pub ip: String,
    pub status: ReportStatus,
    pub secured_at: Option<i64>,
}

const COLUMNS: &str = "id, user_id, source, sign_in_event_id, reported_at, ip, status, secured_at";

/// Records a report; `None` when the event was already reported (one report per
/// event, kept by a unique index so two clicks cannot make two).
pub async fn insert<'e>(
    exec: impl Exec<'e>,
    report: NewFraudReport<'_>,
) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar(
        "INSERT INTO fraud_reports (user_id, source, sign_in_event_id, challenge_id, reported_at, ip) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(report.user.0)
    .bind(report.source)
    .bind(report.sign_in_event_id)
    .bind(report.challenge_id)
    .bind(report.reported_at)
    .bind(report.ip)
    .fetch_optional(exec)
    .await
    .context("recording a fraud report")
}

/// The user's report about a sign-in event, if any.
pub async fn for_event(
    db: &Db,
    user: UserId,
    event_id: i64,
) -> anyhow::Result<Option<FraudReportRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM fraud_reports WHERE sign_in_event_id = $1 AND user_id = $2");
    sqlx::query_as::<_, FraudReportRow>(&sql)
        .bind(event_id)
        .bind(user.0)
        .fetch_optional(db.pool())
        .await
        .context("finding a fraud report")
}

/// The user's report `id`, if it is theirs.
pub async fn find(db: &Db, user: UserId, id: i64) -> anyhow::Result<Option<FraudReportRow>> {
    let sql = format!("SELECT {COLUMNS} FROM fraud_reports WHERE id = $1 AND user_id = $2");
    sqlx::query_as::<_, FraudReportRow>(&sql)
        .bind(id)
        .bind(user.0)
        .fetch_optional(db.pool())
        .await
        .context("reading a fraud report")
}

/// Notes that the reporter secured their account from this report.
pub async fn mark_secured<'e>(exec: impl Exec<'e>, id: i64, now: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE fraud_reports SET secured_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(exec)
        .await
        .context("marking a report secured")?;
    Ok(())
}

/// Open reports, oldest first (the admin queue).
pub async fn open(db: &Db, limit: i64) -> anyhow::Result<Vec<FraudReportRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM fraud_reports WHERE status = 'open' ORDER BY reported_at, id LIMIT $1"
    );
    sqlx::query_as::<_, FraudReportRow>(&sql)
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .context("listing open fraud reports")
}

/// Whether a report from a prompt (a call's 0#, later a push's "report fraud")
/// made at or after `since`, open or confirmed by an admin, blocks further prompts
/// to the person.
pub async fn prompt_block_in_force(db: &Db, user: UserId, since: i64) -> anyhow::Result<bool> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM fraud_reports WHERE user_id = $1 AND source IN ('call', 'push') \
         AND (status = 'open' OR outcome = 'confirmed') AND reported_at >= $2",
    )
    .bind(user.0)
    .bind(since)
    .fetch_one(db.pool())
    .await
    .context("looking for open prompt fraud reports")?;
    Ok(count > 0)
}
