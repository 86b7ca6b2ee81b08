//! The `audit_log` table: who did what to whom, append-only.

use super::{Db, Exec, UserId};
use crate::domain::AuditAction;
use anyhow::Context;

pub struct NewAuditEntry<'a> {
    pub occurred_at: i64,
    pub actor_user_id: Option<UserId>,
    /// "system", "cli" or the actor's username, for rows whose actor is not a user.
    pub actor_label: &'a str,
    pub subject_user_id: Option<UserId>,
    pub action: AuditAction,
    pub detail: &'a str,
    pub ip: Option<&'a str>,
}

pub async fn insert<'e>(exec: impl Exec<'e>, entry: NewAuditEntry<'_>) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (occurred_at, actor_user_id, actor_label, subject_user_id, \
         action, detail, ip) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(entry.occurred_at)
    .bind(entry.actor_user_id.map(|id| id.0))
    .bind(entry.actor_label)
    .bind(entry.subject_user_id.map(|id| id.0))
    .bind(entry.action)
    .bind(entry.detail)
    .bind(entry.ip)
    .execute(exec)
    .await
    .context("writing an audit entry")?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRow {
    pub occurred_at: i64,
    pub actor_label: String,
    pub action: AuditAction,
    pub detail: String,
}

/// The newest `limit` entries about `subject`, newest first.
pub async fn about(db: &Db, subject: UserId, limit: i64) -> anyhow::Result<Vec<AuditRow>> {
    sqlx::query_as::<_, AuditRow>(
        "SELECT occurred_at, actor_label, action, detail FROM audit_log \
         WHERE subject_user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(subject)
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .context("reading the audit entries about a user")
}

/// The newest `limit` entries of one kind at or after `since` (unix seconds).
pub async fn of_action(
    db: &Db,
    action: AuditAction,
    since: i64,
    limit: i64,
) -> anyhow::Result<Vec<AuditRow>> {
    sqlx::query_as::<_, AuditRow>(
        "SELECT occurred_at, actor_label, action, detail FROM audit_log \
         WHERE action = $1 AND occurred_at >= $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(action)
    .bind(since)
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .context("reading audit entries of one kind")
}
