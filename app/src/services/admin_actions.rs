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
///
/// The change and its audit entry land together, and only from the state just read
/// (`replace_mfa_state`): two admins changing one person at once leave two entries
/// whose "before" and "after" follow each other, whatever the engine.
pub async fn set_mfa_state(
    state: &Services,
    admin: &Verified<Admin>,
    user: UserId,
    new: MfaState,
    ip: &str,
) -> anyhow::Result<Changed<MfaState>> {
    let actor = admin.audit_actor();
    loop {
        let Some(row) = users::find_by_id(&state.db, user).await? else {
            return Ok(Changed::NoSuchPerson);
        };
        if row.mfa_state == new {
            return Ok(Changed::From(new));
        }
        let mut tx = state.db.begin().await?;
        if !users::replace_mfa_state(&mut *tx, user, row.mfa_state, new).await? {
            // Another change landed since the read: read again.
            continue;
        }
        let detail = format!("MFA state {} -> {}", row.mfa_state, new);
        let record = AuditRecord {
            actor: &actor,
            subject: Some(user),
            action: AuditAction::UserMfaState,
            detail: &detail,
            ip: Some(ip),
        };
        audit::record(&mut *tx, state.clock.now(), record).await?;
        tx.commit().await?;
        return Ok(Changed::From(row.mfa_state));
    }
}
