//! The `users` table: accounts, their password hash and lockout counters.

use super::{Db, Exec, UserId};
use crate::domain::{EmailAddress, MfaState, Role, Username};
use anyhow::Context;
use std::fmt;

/// A user row. Holds the password hash, so it is neither `Serialize` nor printed.
#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub mfa_state: MfaState,
    pub failed_sign_ins: i64,
    pub lockout_count: i64,
    pub locked_until: Option<i64>,
    pub blocked_at: Option<i64>,
    /// Sessions started in an older epoch are over (see `bump_session_epoch`).
    pub session_epoch: i64,
    /// When failed attempts last locked the account.
    pub last_locked_at: Option<i64>,
    /// When an administrator disabled the account (sign-in refused).
    pub disabled_at: Option<i64>,
    /// An administrator set the password: the person replaces it at sign-in.
    #[sqlx(try_from = "super::Flag")]
    pub must_change_password: bool,
    /// Until when one second step may be skipped (an administrator's bypass).
    pub bypass_until: Option<i64>,
}

impl fmt::Debug for UserRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("password_hash", &"<redacted>")
            .finish_non_exhaustive()
    }
}

pub struct NewUser<'a> {
    pub username: &'a Username,
    pub display_name: &'a str,
    pub email: &'a EmailAddress,
    pub password_hash: &'a str,
    pub role: Role,
    pub mfa_state: MfaState,
    pub must_change_password: bool,
    pub now: i64,
}

const COLUMNS: &str = "id, username, display_name, email, password_hash, role, mfa_state, \
    failed_sign_ins, lockout_count, locked_until, blocked_at, session_epoch, last_locked_at, \
    disabled_at, must_change_password, bypass_until";

/// Inserts the account; `None` when the username is taken (checked by the insert
/// itself, so of two parallel creations one gets the name and the other is told).
pub async fn insert<'e>(exec: impl Exec<'e>, user: NewUser<'_>) -> anyhow::Result<Option<UserId>> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, email, password_hash, role, mfa_state, \
         created_at, password_changed_at, must_change_password) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) ON CONFLICT (username) DO NOTHING RETURNING id",
    )
    .bind(user.username.as_str())
    .bind(user.display_name)
    .bind(user.email.as_str())
    .bind(user.password_hash)
    .bind(user.role.as_str())
    .bind(user.mfa_state.as_str())
    .bind(user.now)
    .bind(i64::from(user.must_change_password))
    .fetch_optional(exec)
    .await
    .context("inserting a user")?;
    Ok(id.map(UserId))
}

pub async fn find_by_username(db: &Db, username: &Username) -> anyhow::Result<Option<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE username = $1");
    sqlx::query_as::<_, UserRow>(&sql)
        .bind(username.as_str())
        .fetch_optional(db.pool())
        .await
        .context("looking up a user by username")
}

pub async fn find_by_id(db: &Db, id: UserId) -> anyhow::Result<Option<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    sqlx::query_as::<_, UserRow>(&sql)
        .bind(id.0)
        .fetch_optional(db.pool())
        .await
        .context("looking up a user by id")
}

pub async fn exists_any(db: &Db) -> anyhow::Result<bool> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(db.pool())
        .await
        .context("counting users")?;
    Ok(count > 0)
}

/// Counts one attempt before its secret is checked, unless the account is locked or
/// `threshold` attempts are already counted: one statement, so parallel attempts
/// cannot all pass. Returns the count including this one and the lockouts so far.
pub async fn claim_attempt(
    db: &Db,
    id: UserId,
    now: i64,
    threshold: i64,
) -> anyhow::Result<Option<(i64, i64)>> {
    sqlx::query_as(
        "UPDATE users SET failed_sign_ins = failed_sign_ins + 1 \
         WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2) \
         AND failed_sign_ins < $3 RETURNING failed_sign_ins, lockout_count",
    )
    .bind(id.0)
    .bind(now)
    .bind(threshold)
    .fetch_optional(db.pool())
    .await
    .context("claiming a sign-in attempt")
}

/// Uncounts an attempt that turned out right (while the sign-in goes on).
pub async fn hand_back_attempt(db: &Db, id: UserId) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE users SET failed_sign_ins = failed_sign_ins - 1 \
         WHERE id = $1 AND failed_sign_ins > 0",
    )
    .bind(id.0)
    .execute(db.pool())
    .await
    .context("handing back a sign-in attempt")?;
    Ok(())
}

/// Locks the account until `until` if it still has at least `threshold` failures;
/// returns whether this call did the locking (so only one caller reports it). The
/// owner is told at their next successful sign-in (`last_locked_at`).
pub async fn lock_if_over(
    db: &Db,
    id: UserId,
    threshold: i64,
    until: i64,
    now: i64,
) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE users SET failed_sign_ins = 0, lockout_count = lockout_count + 1, \
         locked_until = $2, last_locked_at = $4 WHERE id = $1 AND failed_sign_ins >= $3",
    )
    .bind(id.0)
    .bind(until)
    .bind(threshold)
    .bind(now)
    .execute(db.pool())
    .await
    .context("locking an account")?;
    Ok(result.rows_affected() == 1)
}

/// Serialises changes to one person's things (methods, app passwords, trips) for
/// the rest of the transaction: a row lock on PostgreSQL, where READ COMMITTED does
/// not make a count-then-insert statement atomic; SQLite's write lock otherwise.
pub async fn lock_row(tx: &mut super::Tx, id: UserId) -> anyhow::Result<()> {
    sqlx::query("UPDATE users SET session_epoch = session_epoch WHERE id = $1")
        .bind(id.0)
        .execute(&mut **tx)
        .await
        .context("locking the user's row")?;
    Ok(())
}

pub async fn clear_failures(db: &Db, id: UserId) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE users SET failed_sign_ins = 0, lockout_count = 0, locked_until = NULL \
         WHERE id = $1",
    )
    .bind(id.0)
    .execute(db.pool())
    .await
    .context("clearing failed sign-ins")?;
    Ok(())
}

/// Replaces the stored hash of the same password (a rehash with current parameters).
pub async fn replace_password_hash(db: &Db, id: UserId, hash: &str) -> anyhow::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(id.0)
        .bind(hash)
        .execute(db.pool())
        .await
        .context("storing a rehashed password")?;
    Ok(())
}

pub async fn count_by(db: &Db, column: GroupColumn) -> anyhow::Result<Vec<(String, i64)>> {
    let sql = format!(
        "SELECT {c} AS label, COUNT(*) AS n FROM users GROUP BY {c} ORDER BY {c}",
        c = column.name()
    );
    sqlx::query_as(&sql)
        .fetch_all(db.pool())
        .await
        .context("counting users by group")
}

/// The columns users may be grouped by; a closed set, so no text reaches the SQL.
#[derive(Clone, Copy, Debug)]
pub enum GroupColumn {
    Role,
    MfaState,
}

impl GroupColumn {
    fn name(self) -> &'static str {
        match self {
            GroupColumn::Role => "role",
            GroupColumn::MfaState => "mfa_state",
        }
    }
}

pub async fn locked_at(db: &Db, now: i64) -> anyhow::Result<Vec<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE locked_until > $1 ORDER BY username");
    sqlx::query_as::<_, UserRow>(&sql)
        .bind(now)
        .fetch_all(db.pool())
        .await
        .context("listing locked accounts")
}

pub async fn set_mfa_state(db: &Db, id: UserId, state: MfaState) -> anyhow::Result<()> {
    sqlx::query("UPDATE users SET mfa_state = $2 WHERE id = $1")
        .bind(id.0)
        .bind(state.as_str())
        .execute(db.pool())
        .await
        .context("setting the MFA state")?;
    Ok(())
}

/// Moves `id` from MFA state `from` to `to` only if it is still `from`, so of two
/// changes made at once the second sees the first's result. False if it was not.
pub async fn replace_mfa_state<'e>(
    exec: impl Exec<'e>,
    id: UserId,
    from: MfaState,
    to: MfaState,
) -> anyhow::Result<bool> {
    let result = sqlx::query("UPDATE users SET mfa_state = $3 WHERE id = $1 AND mfa_state = $2")
        .bind(id.0)
        .bind(from)
        .bind(to)
        .execute(exec)
        .await
        .context("changing the MFA state")?;
    Ok(result.rows_affected() == 1)
}

/// Stores a new password's hash and when it changed.
pub async fn set_password<'e>(
    exec: impl Exec<'e>,
    id: UserId,
    hash: &str,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1")
        .bind(id.0)
        .bind(hash)
        .bind(now)
        .execute(exec)
        .await
        .context("storing a new password")?;
    Ok(())
}

/// Ends every session of the user that started before this call: sessions remember
/// the epoch they began in and `services::caller` refuses older ones. Returns the new
/// epoch, for the session that asked to keep going.
pub async fn bump_session_epoch<'e>(exec: impl Exec<'e>, id: UserId) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1 RETURNING session_epoch",
    )
    .bind(id.0)
    .fetch_one(exec)
    .await
    .context("ending the other sessions")
}

/// E-mail addresses of the active administrators (fraud alerts go there by default).
pub async fn admin_emails(db: &Db) -> anyhow::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT email FROM users WHERE role = $1 AND blocked_at IS NULL AND disabled_at IS NULL \
         ORDER BY id",
    )
    .bind(Role::Admin.as_str())
    .fetch_all(db.pool())
    .await
    .context("listing administrators' addresses")
}

/// The method the user's sign-in starts with (`SignInMethod::as_str`), if chosen.
pub async fn default_method(db: &Db, id: UserId) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar("SELECT default_method FROM users WHERE id = $1")
        .bind(id.0)
        .fetch_one(db.pool())
        .await
        .context("reading the default method")
}

/// Sets the default method of a person who has none (an import's phone).
pub async fn set_default_method_if_unset<'e>(
    exec: impl Exec<'e>,
    id: UserId,
    method: &str,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE users SET default_method = $2 WHERE id = $1 AND default_method IS NULL")
        .bind(id.0)
        .bind(method)
        .execute(exec)
        .await
        .context("storing a first default method")?;
    Ok(())
}

pub async fn set_default_method<'e>(
    exec: impl Exec<'e>,
    id: UserId,
    method: &str,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE users SET default_method = $2 WHERE id = $1")
        .bind(id.0)
        .bind(method)
        .execute(exec)
        .await
        .context("storing the default method")?;
    Ok(())
}
