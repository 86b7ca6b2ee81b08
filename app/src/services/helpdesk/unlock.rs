//! The helpdesk lifts a lock after repeated failures (or an administrator's), when
//! policy allows it and, where policy says so, after verifying the caller.

use super::caller_check::caller_is_verified_if_needed;
use super::{HelpRefusal, Outcome, helpable, record};
use crate::domain::AuditAction;
use crate::services::caller::Helpdesk;
use crate::services::portal_settings;
use crate::state::Services;
use crate::store::{UserId, account_controls};
use anyhow::Context;

/// Unlocks the person's account; `Ok(false)` when it was not locked.
pub async fn unlock(
    state: &Services,
    agent: &Helpdesk,
    subject: UserId,
    ip: &str,
) -> Outcome<bool> {
    if let Err(refusal) = helpable(state, agent, subject).await? {
        return Ok(Err(refusal));
    }
    let policy = portal_settings::current(state).await?;
    if !policy.helpdesk_may_unlock && !agent.is_admin() {
        return Ok(Err(HelpRefusal::NotAllowedByPolicy));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let needed = policy.unlock_needs_verified_caller;
    if !caller_is_verified_if_needed(&mut *tx, needed, agent, subject, now).await? {
        return Ok(Err(HelpRefusal::CallerNotVerified));
    }
    let unlocked = account_controls::unlock(&mut *tx, subject, now).await?;
    if unlocked {
        let detail = "unlocked by the helpdesk; failed attempts forgotten";
        record(
            &mut *tx,
            now,
            agent,
            subject,
            AuditAction::AccountUnlocked,
            detail,
            ip,
        )
        .await?;
    }
    tx.commit().await.context("committing a helpdesk unlock")?;
    Ok(Ok(unlocked))
}
