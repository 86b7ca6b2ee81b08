//! Access to one account: lock and unlock, disable and enable, sign out everywhere,
//! forget remembered browsers, a temporary password, a one-time bypass.

use super::{Outcome, Refusal, record};
use crate::domain::{AuditAction, FieldError};
use crate::services::accounts::generate_password;
use crate::services::caller::{Admin, Verified};
use crate::services::notify::{self, Notice};
use crate::services::time_format::utc_minutes;
use crate::state::Services;
use crate::store::{UserId, account_controls, remembered_devices, users};
use anyhow::Context;
use secrecy::SecretString;

/// Locks the account until an admin unlocks it (protective: no step-up needed).
pub async fn lock(state: &Services, admin: &Admin, user: UserId, ip: &str) -> Outcome {
    if users::find_by_id(&state.db, user).await?.is_none() {
        return Ok(Err(Refusal::NoSuchPerson));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if account_controls::lock(&mut *tx, user, now).await? {
        let detail = "locked by an administrator until unlocked";
        record(
            &mut *tx,
            now,
            admin,
            user,
            AuditAction::AccountLocked,
            detail,
            ip,
        )
        .await?;
    }
    tx.commit().await.context("committing a lock")?;
    Ok(Ok(()))
}

/// Lifts a lock, an admin's or one after failed attempts.
pub async fn unlock(state: &Services, admin: &Verified<Admin>, user: UserId, ip: &str) -> Outcome {
    if users::find_by_id(&state.db, user).await?.is_none() {
        return Ok(Err(Refusal::NoSuchPerson));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if account_controls::unlock(&mut *tx, user, now).await? {
        let detail = "unlocked; failed attempts forgotten";
        record(
            &mut *tx,
            now,
            admin,
            user,
            AuditAction::AccountUnlocked,
            detail,
            ip,
        )
        .await?;
    }
    tx.commit().await.context("committing an unlock")?;
    Ok(Ok(()))
}

/// Refuses every sign-in and ends every session. The last active administrator
/// cannot be disabled: the rule and the change hold the administrators' lock.
pub async fn disable(state: &Services, admin: &Verified<Admin>, user: UserId, ip: &str) -> Outcome {
    let Some(row) = users::find_by_id(&state.db, user).await? else {
        return Ok(Err(Refusal::NoSuchPerson));
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if row.role.includes(crate::domain::Role::Admin) {
        account_controls::lock_admins(&mut tx).await?;
        if account_controls::other_active_admins(&mut tx, user).await? == 0 {
            return Ok(Err(Refusal::LastAdmin));
        }
    }
    if account_controls::set_disabled(&mut *tx, user, Some(now)).await? {
        let detail = "disabled: sign-in refused, every session ended";
        record(
            &mut *tx,
            now,
            admin,
            user,
            AuditAction::AccountDisabled,
            detail,
            ip,
        )
        .await?;
    }
    tx.commit().await.context("committing a disable")?;
    Ok(Ok(()))
}

pub async fn enable(state: &Services, admin: &Verified<Admin>, user: UserId, ip: &str) -> Outcome {
    if users::find_by_id(&state.db, user).await?.is_none() {
        return Ok(Err(Refusal::NoSuchPerson));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if account_controls::set_disabled(&mut *tx, user, None).await? {
        let detail = "enabled: may sign in again";
        record(
            &mut *tx,
            now,
            admin,
            user,
            AuditAction::AccountEnabled,
            detail,
            ip,
        )
        .await?;
    }
    tx.commit().await.context("committing an enable")?;
    Ok(Ok(()))
}

/// Ends every session of the person, in every browser.
pub async fn sign_out_everywhere(
    state: &Services,
    admin: &Admin,
    user: UserId,
    ip: &str,
) -> Outcome {
    if users::find_by_id(&state.db, user).await?.is_none() {
        return Ok(Err(Refusal::NoSuchPerson));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    users::bump_session_epoch(&mut *tx, user).await?;
    let detail = "every session ended";
    record(
        &mut *tx,
        now,
        admin,
        user,
        AuditAction::SessionsSignedOut,
        detail,
        ip,
    )
    .await?;
    tx.commit()
        .await
        .context("committing sign out everywhere")?;
    Ok(Ok(()))
}

/// Revokes the MFA sessions: every remembered browser asks for the second step
/// again. Returns how many were forgotten.
pub async fn forget_browsers(
    state: &Services,
    admin: &Admin,
    user: UserId,
    ip: &str,
) -> Outcome<u64> {
    if users::find_by_id(&state.db, user).await?.is_none() {
        return Ok(Err(Refusal::NoSuchPerson));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let forgotten = remembered_devices::revoke_all(&mut *tx, user, now).await?;
    if forgotten > 0 {
        let detail = format!("{forgotten} remembered browser(s) forgotten");
        record(
            &mut *tx,
            now,
            admin,
            user,
            AuditAction::BrowsersForgotten,
            &detail,
            ip,
        )
        .await?;
    }
    tx.commit().await.context("committing forgotten browsers")?;
    Ok(Ok(forgotten))
}

/// Sets a generated temporary password, returned once to show the admin; the
/// person must replace it at their next sign-in. Every session ends; the person is
/// e-mailed (without the password).
pub async fn reset_password(
    state: &Services,
    admin: &Verified<Admin>,
    user: UserId,
    ip: &str,
) -> Outcome<SecretString> {
    let Some(row) = users::find_by_id(&state.db, user).await? else {
        return Ok(Err(Refusal::NoSuchPerson));
    };
    let temporary = generate_password();
    let hash = state.hasher.hash(temporary.clone()).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    account_controls::set_temporary_password(&mut *tx, user, &hash, now).await?;
    let detail = "temporary password set; change required at next sign-in; every session ended";
    record(
        &mut *tx,
        now,
        admin,
        user,
        AuditAction::PasswordReset,
        detail,
        ip,
    )
    .await?;
    let notice = Notice {
        user,
        email: &row.email,
        subject: "An administrator reset your password",
        body: "An administrator of MFA Portal reset your password. They give you a temporary password; you choose your own when you next sign in. If you did not ask for this, contact your helpdesk now.",
    };
    notify::email_in(&mut *tx, now, notice).await?;
    tx.commit().await.context("committing a password reset")?;
    Ok(Ok(temporary))
}

/// A one-time bypass: how long it may wait to be used, and why it was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bypass {
    seconds: i64,
    reason: String,
}

impl Bypass {
    pub const MIN_SECONDS: i64 = 60;
    /// A day: long enough for "my phone is at home", short enough to be forgotten.
    pub const MAX_SECONDS: i64 = 86_400;

    pub fn parse(seconds: &str, reason: &str) -> Result<Bypass, FieldError> {
        let seconds = seconds
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| (Self::MIN_SECONDS..=Self::MAX_SECONDS).contains(s))
            .ok_or_else(|| {
                FieldError::new(
                    "seconds",
                    "Enter a number of seconds from 60 (one minute) to 86400 (one day).",
                )
            })?;
        let reason = reason.trim();
        let length = reason.chars().count();
        if !(3..=200).contains(&length) || reason.chars().any(char::is_control) {
            return Err(FieldError::new(
                "reason",
                "Say why in 3 to 200 characters, for example a ticket number.",
            ));
        }
        Ok(Bypass {
            seconds,
            reason: reason.to_owned(),
        })
    }
}

/// Lets the person's next sign-in within `bypass.seconds` skip the second step,
/// once (recorded with result code 7, Bypassed Auth). Replaces a running bypass.
pub async fn grant_bypass(
    state: &Services,
    admin: &Verified<Admin>,
    user: UserId,
    bypass: &Bypass,
    ip: &str,
) -> Outcome<i64> {
    let Some(row) = users::find_by_id(&state.db, user).await? else {
        return Ok(Err(Refusal::NoSuchPerson));
    };
    let now = state.clock.now();
    let until = now + bypass.seconds;
    let mut tx = state.db.begin().await?;
    account_controls::set_bypass(&mut *tx, user, until).await?;
    let detail = format!(
        "next second step skipped once until {} ({} s): {}",
        utc_minutes(until),
        bypass.seconds,
        bypass.reason
    );
    record(
        &mut *tx,
        now,
        admin,
        user,
        AuditAction::BypassGranted,
        &detail,
        ip,
    )
    .await?;
    let body = format!(
        "An administrator of MFA Portal allowed one sign-in to your account without the second step, until {} UTC. If you did not ask for this, contact your helpdesk now.",
        utc_minutes(until)
    );
    let notice = Notice {
        user,
        email: &row.email,
        subject: "One sign-in without the second step was allowed",
        body: &body,
    };
    notify::email_in(&mut *tx, now, notice).await?;
    tx.commit().await.context("committing a bypass")?;
    Ok(Ok(until))
}

/// Withdraws a bypass not yet used (protective).
pub async fn cancel_bypass(state: &Services, admin: &Admin, user: UserId, ip: &str) -> Outcome {
    if users::find_by_id(&state.db, user).await?.is_none() {
        return Ok(Err(Refusal::NoSuchPerson));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if account_controls::cancel_bypass(&mut *tx, user, now).await? {
        let detail = "the unused bypass was withdrawn";
        record(
            &mut *tx,
            now,
            admin,
            user,
            AuditAction::BypassCancelled,
            detail,
            ip,
        )
        .await?;
    }
    tx.commit().await.context("committing a cancelled bypass")?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::Bypass;

    #[test]
    fn a_bypass_lasts_a_minute_to_a_day_and_says_why() {
        let ok = Bypass::parse(" 300 ", "  ticket 42  ").unwrap();
        assert_eq!((ok.seconds, ok.reason.as_str()), (300, "ticket 42"));
        assert!(Bypass::parse("60", "abc").is_ok());
        assert!(Bypass::parse("86400", "abc").is_ok());
        for seconds in ["59", "86401", "", "five", "-1", "3.5"] {
            assert_eq!(
                Bypass::parse(seconds, "ticket").unwrap_err().field,
                "seconds",
                "{seconds:?}"
            );
        }
        let long = "x".repeat(201);
        for reason in ["", "ab", "   ", long.as_str(), "line\nbreak"] {
            assert_eq!(
                Bypass::parse("300", reason).unwrap_err().field,
                "reason",
                "{reason:?}"
            );
        }
    }
}
