//! The MFA state an admin sets: disabled, enabled, enforced.

use crate::domain::{AuditAction, MfaState};
use crate::services::caller::{Admin, Verified};
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
        let now = state.clock.now();
        super::record(
            &mut *tx,
            now,
            admin,
            user,
            AuditAction::UserMfaState,
            &detail,
            ip,
        )
        .await?;
        tx.commit().await?;
        return Ok(Changed::From(row.mfa_state));
    }
}
