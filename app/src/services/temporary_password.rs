//! The sign-in step after a temporary password (an administrator's reset or a
//! generated first password): the person chooses their own before anything else,
//! then the sign-in goes on as it would have (second step, registration, done).

use super::audit::{self, Actor, AuditRecord};
use super::caller::PendingSignIn;
use super::password_policy::{NewPassword, PasswordRuleError};
use super::sign_in::{EventDraft, SignedIn, next_step};
use crate::domain::AuditAction;
use crate::state::Services;
use crate::store::{account_controls, users};
use anyhow::Context;
use secrecy::SecretString;
use std::net::IpAddr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewPasswordRefusal {
    Rule(PasswordRuleError),
    /// The temporary password is no longer the one to replace: replaced in another
    /// tab, reset again, or the account was disabled or blocked meanwhile.
    SignInOver,
}

pub struct Replacement<'a> {
    pub new: SecretString,
    pub ip: IpAddr,
    pub user_agent: &'a str,
    /// The remembered-browser cookie, if any (the second step may be skipped).
    pub device_token: Option<&'a str>,
}

/// Replaces the temporary password of the half-signed-in person and says what the
/// sign-in needs next; the new step is recorded as a sign-in event of its own.
pub async fn replace_temporary(
    state: &Services,
    pending: &PendingSignIn,
    replacement: Replacement<'_>,
) -> anyhow::Result<Result<SignedIn, NewPasswordRefusal>> {
    let Some(user) = users::find_by_id(&state.db, pending.user()).await? else {
        return Ok(Err(NewPasswordRefusal::SignInOver));
    };
    let still_due = user.must_change_password
        && user.session_epoch == pending.session_epoch
        && user.disabled_at.is_none()
        && user.blocked_at.is_none();
    if !still_due {
        return Ok(Err(NewPasswordRefusal::SignInOver));
    }
    let names = [user.username.as_str(), user.display_name.as_str()];
    let new = match NewPassword::parse(replacement.new, &names) {
        Ok(password) => password,
        Err(rule) => return Ok(Err(NewPasswordRefusal::Rule(rule))),
    };
    let hash = state.hasher.hash(new.into_secret()).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !account_controls::replace_temporary_password(&mut *tx, user.id, &hash, now).await? {
        return Ok(Err(NewPasswordRefusal::SignInOver));
    }
    let actor = Actor::User {
        id: user.id,
        username: user.username.clone(),
    };
    let ip = replacement.ip.to_string();
    let record = AuditRecord {
        actor: &actor,
        subject: Some(user.id),
        action: AuditAction::PasswordChanged,
        detail: "replaced the temporary password at sign-in",
        ip: Some(&ip),
    };
    audit::record(&mut *tx, now, record).await?;
    tx.commit()
        .await
        .context("committing a replaced temporary password")?;
    let (next, code) = next_step(state, &user, replacement.device_token).await?;
    let event = EventDraft::from_parts(&user.username, replacement.ip, replacement.user_agent, now);
    let event_id = event.record(state, Some(user.id), code).await?;
    Ok(Ok(SignedIn {
        user_id: user.id,
        event_id,
        next,
        session_epoch: user.session_epoch,
    }))
}
