//! What an admin changes on a person's page. Each action takes `&Verified<Admin>`
//! (an administrator whose own verification is recent) and leaves an audit entry
//! naming the admin, the person and the value before and after.

use super::audit::{self, AuditRecord};
use super::caller::{Admin, Verified};
use crate::domain::{AuditAction, MfaState};
use crate::state::Services;
use crate::store::{UserId, users};

/// What a change did: the state before, or that there is no such person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Changed<T> {
    From(T),
    NoSuchPerson,
}

/// Sets `user`'s MFA state (Entra's meaning: enabled asks to register at the next
/// sign-in, enforced always asks for a second step). Setting the state it already
/// has changes nothing and records nothing.
pub async fn set_mfa_state(
    state: &Services,
    admin: &Verified<Admin>,
    user: UserId,
    new: MfaState,
    ip: &str,
) -> anyhow::Result<Changed<MfaState>> {
    let Some(row) = users::find_by_id(&state.db, user).await? else {
        return Ok(Changed::NoSuchPerson);
    };
    if row.mfa_state == new {
        return Ok(Changed::From(new));
    }
    users::set_mfa_state(&state.db, user, new).await?;
    let detail = format!("MFA state {} -> {}", row.mfa_state, new);
    let actor = admin.audit_actor();
    let record = AuditRecord {
        actor: &actor,
        subject: Some(user),
        action: AuditAction::UserMfaState,
        detail: &detail,
        ip: Some(ip),
    };
    audit::record(state.db.pool(), state.clock.now(), record).await?;
    Ok(Changed::From(row.mfa_state))
}
