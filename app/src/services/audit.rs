//! Recording what happened, by whom, to whom.

use super::caller::Caller;
use crate::domain::AuditAction;
use crate::store::audit::{self, NewAuditEntry};
use crate::store::{Exec, UserId};

/// Who acted: a signed-in user, or the system itself (CLI, start-up, lockout rules).
#[derive(Clone, Debug)]
pub enum Actor {
    User { id: UserId, username: String },
    System(&'static str),
}

pub struct AuditRecord<'a> {
    pub actor: &'a Actor,
    pub subject: Option<UserId>,
    pub action: AuditAction,
    pub detail: &'a str,
    pub ip: Option<&'a str>,
}

pub async fn record<'e>(
    exec: impl Exec<'e>,
    now: i64,
    record: AuditRecord<'_>,
) -> anyhow::Result<()> {
    let (actor_user_id, actor_label) = match record.actor {
        Actor::User { id, username } => (Some(*id), username.as_str()),
        Actor::System(label) => (None, *label),
    };
    audit::insert(
        exec,
        NewAuditEntry {
            occurred_at: now,
            actor_user_id,
            actor_label,
            subject_user_id: record.subject,
            action: record.action,
            detail: record.detail,
            ip: record.ip,
        },
    )
    .await
}

/// Records a change the caller made to the subject's account (their own, unless an
/// agent acts for them), under the actor's name.
pub async fn record_change<'e>(
    exec: impl Exec<'e>,
    now: i64,
    caller: &Caller,
    action: AuditAction,
    detail: &str,
    ip: &str,
) -> anyhow::Result<()> {
    let actor = caller.audit_actor();
    let entry = AuditRecord {
        actor: &actor,
        subject: Some(caller.subject.id),
        action,
        detail,
        ip: Some(ip),
    };
    record(exec, now, entry).await
}
