//! Changing one's own password: the current one first, the rules for the new one,
//! then every remembered browser and app password goes, in one transaction with the
//! audit entry and the e-mail. "Secure my account" (`services::fraud`) reuses the
//! two halves inside its own, larger transaction.

use super::audit;
use super::caller::Caller;
use super::notify::{self, Notice};
use super::password_policy::{NewPassword, PasswordRuleError};
use super::sign_in::confirm_password;
use crate::domain::AuditAction;
use crate::state::Services;
use crate::store::{UserId, app_passwords, remembered_devices, users};
use anyhow::Context;
use secrecy::SecretString;
use sqlx::AnyConnection;
use std::net::IpAddr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeRefusal {
    CurrentWrong,
    Rule(PasswordRuleError),
}

/// The new password's hash, once the current password and the rules are satisfied.
pub struct CheckedPassword {
    hash: String,
}

/// What replacing the password took away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revoked {
    pub browsers: u64,
    pub app_passwords: u64,
    /// The new session epoch: every session of the person that began before is
    /// over; the one that changed the password continues in this epoch.
    pub session_epoch: i64,
}

/// Checks the current password and the rules for the new one, and hashes it.
pub async fn check(
    state: &Services,
    caller: &Caller,
    current: SecretString,
    new: SecretString,
    ip: IpAddr,
) -> anyhow::Result<Result<CheckedPassword, ChangeRefusal>> {
    if !confirm_password(state, caller.subject.id, current, ip).await? {
        return Ok(Err(ChangeRefusal::CurrentWrong));
    }
    let names = [
        caller.subject.username.as_str(),
        caller.subject.display_name.as_str(),
    ];
    let new = match NewPassword::parse(new, &names) {
        Ok(password) => password,
        Err(rule) => return Ok(Err(ChangeRefusal::Rule(rule))),
    };
    let hash = state.hasher.hash(new.into_secret()).await?;
    Ok(Ok(CheckedPassword { hash }))
}

/// The rules for a new password chosen without the current one (a set-up link,
/// whose token is the proof), and its hash.
pub async fn checked_new(
    state: &Services,
    names: &[&str],
    new: SecretString,
) -> anyhow::Result<Result<CheckedPassword, PasswordRuleError>> {
    let new = match NewPassword::parse(new, names) {
        Ok(password) => password,
        Err(rule) => return Ok(Err(rule)),
    };
    let hash = state.hasher.hash(new.into_secret()).await?;
    Ok(Ok(CheckedPassword { hash }))
}

/// Stores the new hash and revokes what the old password let people keep: every
/// other session, remembered browser and app password. Runs on the caller's
/// transaction.
pub async fn replace(
    conn: &mut AnyConnection,
    user: UserId,
    password: CheckedPassword,
    now: i64,
) -> anyhow::Result<Revoked> {
    users::set_password(&mut *conn, user, &password.hash, now).await?;
    let browsers = remembered_devices::revoke_all(&mut *conn, user, now).await?;
    let app_passwords = app_passwords::revoke_all(&mut *conn, user, now).await?;
    let session_epoch = users::bump_session_epoch(&mut *conn, user).await?;
    Ok(Revoked {
        browsers,
        app_passwords,
        session_epoch,
    })
}

/// Changes the password; returns the session epoch the caller's session continues
/// in (every other session of theirs is over).
pub async fn change(
    state: &Services,
    caller: &Caller,
    current: SecretString,
    new: SecretString,
    ip: IpAddr,
) -> anyhow::Result<Result<i64, ChangeRefusal>> {
    // The current password is this change's proof of identity (as on every
    // portal); an agent viewing the account may not change it.
    caller.require_writable()?;
    let password = match check(state, caller, current, new, ip).await? {
        Ok(password) => password,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let now = state.clock.now();
    let mut tx = state
        .db
        .begin()
        .await
        .context("starting a password change")?;
    let revoked = replace(&mut tx, caller.subject.id, password, now).await?;
    let detail = format!(
        "password changed; other sessions ended, {} remembered browsers forgotten, {} app passwords revoked",
        revoked.browsers, revoked.app_passwords
    );
    let ip = ip.to_string();
    audit::record_change(
        &mut *tx,
        now,
        caller,
        AuditAction::PasswordChanged,
        &detail,
        &ip,
    )
    .await?;
    let notice = Notice {
        user: caller.subject.id,
        email: &caller.subject.email,
        subject: "Your password was changed",
        body: "The password of your MFA Portal account was changed and every other session was signed out. If this was not you, contact your helpdesk now.",
    };
    notify::email_in(&mut *tx, now, notice).await?;
    tx.commit().await.context("committing a password change")?;
    Ok(Ok(revoked.session_epoch))
}
