//! The audit viewer's search: newest first, keyset pages by id (never OFFSET).
//! Filters are fixed SQL fragments with numbered parameters.

use super::{Db, UserId};
use crate::domain::AuditAction;
use anyhow::Context;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub subject: Option<UserId>,
    pub action: Option<AuditAction>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub until: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditLogRow {
    pub id: i64,
    pub occurred_at: i64,
    pub actor_label: String,
    pub subject_user_id: Option<i64>,
    pub subject_username: Option<String>,
    pub action: AuditAction,
    pub detail: String,
    pub ip: Option<String>,
}

enum Param {
    Text(String),
    Int(i64),
}

/// Up to `limit` entries matching `filter` older than `before` (an id), newest
/// first, and whether more follow.
pub async fn search(
    db: &Db,
    filter: &AuditFilter,
    before: Option<i64>,
    limit: i64,
) -> anyhow::Result<(Vec<AuditLogRow>, bool)> {
    let mut params: Vec<Param> = Vec::new();
    let mut conditions: Vec<String> = Vec::new();
    let mut push = |condition: &str, param: Param| {
        params.push(param);
        conditions.push(condition.replace('?', &format!("${}", params.len())));
    };
    if let Some(actor) = &filter.actor {
        push("a.actor_label = ?", Param::Text(actor.clone()));
    }
    if let Some(subject) = filter.subject {
        push("a.subject_user_id = ?", Param::Int(subject.0));
    }
    if let Some(action) = filter.action {
        push("a.action = ?", Param::Text(action.as_str().to_owned()));
    }
    if let Some(from) = filter.from {
        push("a.occurred_at >= ?", Param::Int(from));
    }
    if let Some(until) = filter.until {
        push("a.occurred_at < ?", Param::Int(until));
    }
    if let Some(before) = before {
        push("a.id < ?", Param::Int(before));
    }
    params.push(Param::Int(limit + 1));
    let where_clause = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        "SELECT a.id, a.occurred_at, a.actor_label, a.subject_user_id, u.username AS subject_username, \
         a.action, a.detail, a.ip FROM audit_log a LEFT JOIN users u ON u.id = a.subject_user_id \
         {where_clause} ORDER BY a.id DESC LIMIT ${}",
        params.len()
    );
    let mut query = sqlx::query_as::<_, AuditLogRow>(&sql);
    for param in params {
        query = match param {
            Param::Text(text) => query.bind(text),
            Param::Int(number) => query.bind(number),
        };
    }
    let mut rows = query
        .fetch_all(db.pool())
        .await
        .context("searching the audit log")?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    Ok((rows, more))
}
