//! Statements behind an administrator's actions on one account: profile, disable,
//! lock, temporary password, bypass. Each reports whether it changed a row, so a
//! service can tell "already so" from "done".

use super::{Exec, Tx, UserId};
use crate::domain::{EmailAddress, Role};
use anyhow::Context;

/// `locked_until` of an account an administrator locked: 9999-12-31 23:59:59 UTC,
/// later than any lockout, so the sign-in's lock check needs no second rule.
pub const LOCKED_UNTIL_UNLOCKED: i64 = 253_402_300_799;

/// Holds the "admins" lock for the rest of the transaction: rules about the set of
/// active administrators (never none) read and change that set one at a time.
pub async fn lock_admins(tx: &mut Tx) -> anyhow::Result<()> {
    sqlx::query("UPDATE named_locks SET name = name WHERE name = 'admins'")
        .execute(&mut **tx)
        .await
        .context("taking the administrators' lock")?;
    Ok(())
}

/// Active administrators other than `except` (hold `lock_admins` first).
pub async fn other_active_admins(tx: &mut Tx, except: UserId) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE role = $1 AND disabled_at IS NULL AND id <> $2",
    )
    .bind(Role::Admin.as_str())
    .bind(except.0)
    .fetch_one(&mut **tx)
    .await
    .context("counting the other administrators")
}

pub struct Profile<'a> {
    pub display_name: &'a str,
    pub email: &'a EmailAddress,
    pub role: Role,
}

pub async fn set_profile<'e>(
    exec: impl Exec<'e>,
    id: UserId,
    profile: &Profile<'_>,
) -> anyhow::Result<bool> {
    let result =
        sqlx::query("UPDATE users SET display_name = $2, email = $3, role = $4 WHERE id = $1")
            .bind(id.0)
            .bind(profile.display_name)
            .bind(profile.email.as_str())
            .bind(profile.role)
            .execute(exec)
            .await
            .context("changing a profile")?;
    Ok(result.rows_affected() == 1)
}

/// Disables an enabled account (`Some(now)`) or enables a disabled one (`None`);
/// false if it already was so. Disabling also ends every session (new epoch).
pub async fn set_disabled<'e>(
    exec: impl Exec<'e>,
    id: UserId,
    disabled_at: Option<i64>,
) -> anyhow::Result<bool> {
    let sql = if disabled_at.is_some() {
        "UPDATE users SET disabled_at = $2, session_epoch = session_epoch + 1 \
         WHERE id = $1 AND disabled_at IS NULL"
    } else {
        "UPDATE users SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NOT NULL"
    };
    let result = sqlx::query(sql)
        .bind(id.0)
        .bind(disabled_at)
        .execute(exec)
        .await
        .context("disabling or enabling an account")?;
    Ok(result.rows_affected() == 1)
}

/// Locks until an administrator unlocks; false if it already was locked so.
pub async fn lock<'e>(exec: impl Exec<'e>, id: UserId, now: i64) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE users SET locked_until = $2, last_locked_at = $3, failed_sign_ins = 0 \
         WHERE id = $1 AND (locked_until IS NULL OR locked_until <> $2)",
    )
    .bind(id.0)
    .bind(LOCKED_UNTIL_UNLOCKED)
    .bind(now)
    .execute(exec)
    .await
    .context("locking an account")?;
    Ok(result.rows_affected() == 1)
}

/// Lifts a lock (an administrator's or one from failed attempts, still running at
/// `now`) and forgets the failures; false if it was not locked.
pub async fn unlock<'e>(exec: impl Exec<'e>, id: UserId, now: i64) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE users SET locked_until = NULL, failed_sign_ins = 0, lockout_count = 0 \
         WHERE id = $1 AND locked_until > $2",
    )
    .bind(id.0)
    .bind(now)
    .execute(exec)
    .await
    .context("unlocking an account")?;
    Ok(result.rows_affected() == 1)
}

/// A password an administrator set: the person must replace it at sign-in. Every
/// session ends and failed attempts are forgotten (the person starts afresh).
pub async fn set_temporary_password<'e>(
    exec: impl Exec<'e>,
    id: UserId,
    hash: &str,
    now: i64,
) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE users SET password_hash = $2, password_changed_at = $3, must_change_password = 1, \
         failed_sign_ins = 0, session_epoch = session_epoch + 1 WHERE id = $1",
    )
    .bind(id.0)
    .bind(hash)
    .bind(now)
    .execute(exec)
    .await
    .context("setting a temporary password")?;
    Ok(result.rows_affected() == 1)
}

/// The person's own password replaces a temporary one; false if none was pending
/// (a second tab already replaced it).
pub async fn replace_temporary_password<'e>(
    exec: impl Exec<'e>,
    id: UserId,
    hash: &str,
    now: i64,
) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE users SET password_hash = $2, password_changed_at = $3, must_change_password = 0 \
         WHERE id = $1 AND must_change_password = 1",
    )
    .bind(id.0)
    .bind(hash)
    .bind(now)
    .execute(exec)
    .await
    .context("replacing a temporary password")?;
    Ok(result.rows_affected() == 1)
}

/// The person chose their own password (a set-up link): nothing temporary is left
/// to replace at the next sign-in.
pub async fn clear_temporary_flag<'e>(exec: impl Exec<'e>, id: UserId) -> anyhow::Result<()> {
    sqlx::query("UPDATE users SET must_change_password = 0 WHERE id = $1")
        .bind(id.0)
        .execute(exec)
        .await
        .context("clearing the temporary-password flag")?;
    Ok(())
}

/// Allows one sign-in without the second step until `until`.
pub async fn set_bypass<'e>(exec: impl Exec<'e>, id: UserId, until: i64) -> anyhow::Result<bool> {
    let result = sqlx::query("UPDATE users SET bypass_until = $2 WHERE id = $1")
        .bind(id.0)
        .bind(until)
        .execute(exec)
        .await
        .context("allowing a one-time bypass")?;
    Ok(result.rows_affected() == 1)
}

/// Uses the bypass if one is still running: one statement, so of two sign-ins at
/// once only one skips the second step.
pub async fn claim_bypass<'e>(exec: impl Exec<'e>, id: UserId, now: i64) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE users SET bypass_until = NULL WHERE id = $1 AND bypass_until IS NOT NULL \
         AND bypass_until > $2",
    )
    .bind(id.0)
    .bind(now)
    .execute(exec)
    .await
    .context("using a one-time bypass")?;
    Ok(result.rows_affected() == 1)
}

/// Forgets a bypass (the administrator changed their mind); false if none ran.
pub async fn cancel_bypass<'e>(exec: impl Exec<'e>, id: UserId, now: i64) -> anyhow::Result<bool> {
    let result =
        sqlx::query("UPDATE users SET bypass_until = NULL WHERE id = $1 AND bypass_until > $2")
            .bind(id.0)
            .bind(now)
            .execute(exec)
            .await
            .context("cancelling a one-time bypass")?;
    Ok(result.rows_affected() == 1)
}
