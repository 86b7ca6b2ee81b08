//! The admins' fraud queue: reports with their context (the person, the sign-in
//! they concern), and an admin's decision on one, taken once.

use super::fraud_reports::ReportSource;
use super::{Db, Exec, UserId};
use anyhow::Context;

crate::text_enum! {
    /// What an admin decided about a report.
    pub enum ReportOutcome {
        /// It was fraud: prompts stay blocked for the policy's time.
        Confirmed = "confirmed",
        /// Not fraud (or the block was lifted): prompts reach the person again.
        Dismissed = "dismissed",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct QueueRow {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub source: ReportSource,
    pub reported_at: i64,
    /// Where the report was made from.
    pub ip: String,
    pub outcome: Option<ReportOutcome>,
    pub notes: Option<String>,
    /// The sign-in it concerns, when it names one.
    pub event_at: Option<i64>,
    pub event_ip: Option<String>,
    pub event_user_agent: Option<String>,
    pub event_app: Option<String>,
    pub event_result: Option<i64>,
}

const SELECT: &str = "SELECT r.id, r.user_id, u.username, u.display_name, r.source, r.reported_at, \
    r.ip, r.outcome, r.notes, e.occurred_at AS event_at, e.ip AS event_ip, \
    e.user_agent AS event_user_agent, e.app_name AS event_app, e.result_code AS event_result \
    FROM fraud_reports r JOIN users u ON u.id = r.user_id \
    LEFT JOIN sign_in_events e ON e.id = r.sign_in_event_id";

/// Open reports, oldest first; then confirmed ones, newest first (their block may
/// still run and can be lifted).
pub async fn waiting(db: &Db, limit: i64) -> anyhow::Result<(Vec<QueueRow>, Vec<QueueRow>)> {
    let open = sqlx::query_as::<_, QueueRow>(&format!(
        "{SELECT} WHERE r.status = 'open' ORDER BY r.reported_at, r.id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .context("listing open fraud reports")?;
    let confirmed = sqlx::query_as::<_, QueueRow>(&format!(
        "{SELECT} WHERE r.outcome = 'confirmed' ORDER BY r.resolved_at DESC, r.id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .context("listing confirmed fraud reports")?;
    Ok((open, confirmed))
}

/// Records the decision if the report still waits for it (open, or confirmed when
/// the block is lifted): one statement, so two admins cannot both decide. Returns
/// the person it concerns.
pub async fn decide<'e>(
    exec: impl Exec<'e>,
    id: i64,
    outcome: ReportOutcome,
    notes: &str,
    admin: UserId,
    now: i64,
) -> anyhow::Result<Option<UserId>> {
    let user: Option<i64> = sqlx::query_scalar(
        "UPDATE fraud_reports SET status = 'resolved', outcome = $2, notes = $3, resolved_by = $4, \
         resolved_at = $5 WHERE id = $1 AND (status = 'open' OR (outcome = 'confirmed' AND $2 = 'dismissed')) \
         RETURNING user_id",
    )
    .bind(id)
    .bind(outcome)
    .bind(notes)
    .bind(admin.0)
    .bind(now)
    .fetch_optional(exec)
    .await
    .context("deciding a fraud report")?;
    Ok(user.map(UserId))
}
