//! The admin's audit-log viewer: the page address's filters and what a page shows.

use serde::{Deserialize, Serialize};

/// The viewer's filters as the address carries them; all optional, checked by
/// `services::audit_log::parse_query`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Who acted: a username, or a system label such as `lockout`.
    pub actor: Option<String>,
    /// Whom it concerns: a username.
    pub person: Option<String>,
    /// One `AuditAction` value.
    pub action: Option<String>,
    /// First day, `YYYY-MM-DD` (UTC).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (UTC).
    pub to: Option<String>,
    /// Keyset cursor: entries older than this id.
    pub before: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLogRow {
    pub when: String,
    /// ISO 8601, for `<time datetime>`.
    pub when_iso: String,
    pub actor: String,
    /// The person's username, if it concerns one who still exists.
    pub person: Option<String>,
    pub person_id: Option<i64>,
    pub action: String,
    pub detail: String,
    pub ip: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLogPage {
    pub rows: Vec<AuditLogRow>,
    /// The cursor of the next (older) page, if there is one.
    pub next: Option<String>,
    /// Every action, as (value, label), for the filter.
    pub actions: Vec<(String, String)>,
}
