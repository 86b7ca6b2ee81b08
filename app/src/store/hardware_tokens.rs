//! The `hardware_tokens` and `token_imports` tables, and the HOTP counter of an
//! assigned token's seed in `totp_secrets`.

use super::{Db, Exec, MethodId, Tx, UserId};
use anyhow::Context;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub serial: String,
    pub mode: String,
    pub algorithm: String,
    pub digits: i64,
    pub period: i64,
    pub counter: i64,
    pub sealed_secret: String,
    pub imported_at: i64,
    pub method_id: Option<MethodId>,
}

const TOKEN_COLUMNS: &str =
    "id, serial, mode, algorithm, digits, period, counter, sealed_secret, imported_at, method_id";

pub struct NewToken<'a> {
    pub serial: &'a str,
    pub mode: &'a str,
    pub algorithm: &'a str,
    pub digits: i64,
    pub period: i64,
    pub counter: i64,
    pub sealed_secret: &'a str,
    pub now: i64,
    pub imported_by: &'a str,
}

/// Stores a token; false when its serial is already known (the file was uploaded
/// before): a token is never replaced by an upload.
pub async fn insert<'e>(exec: impl Exec<'e>, token: NewToken<'_>) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "INSERT INTO hardware_tokens (serial, mode, algorithm, digits, period, counter, \
         sealed_secret, imported_at, imported_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (serial) DO NOTHING",
    )
    .bind(token.serial)
    .bind(token.mode)
    .bind(token.algorithm)
    .bind(token.digits)
    .bind(token.period)
    .bind(token.counter)
    .bind(token.sealed_secret)
    .bind(token.now)
    .bind(token.imported_by)
    .execute(exec)
    .await
    .context("storing a hardware token")?;
    Ok(result.rows_affected() == 1)
}

pub async fn find_by_serial(db: &Db, serial: &str) -> anyhow::Result<Option<TokenRow>> {
    let sql = format!("SELECT {TOKEN_COLUMNS} FROM hardware_tokens WHERE serial = $1");
    sqlx::query_as(&sql)
        .bind(serial)
        .fetch_optional(db.pool())
        .await
        .context("looking up a hardware token")
}

/// Unassigned tokens, by serial, and how many there are in all.
pub async fn unassigned(db: &Db, limit: i64) -> anyhow::Result<(Vec<TokenRow>, i64)> {
    let sql = format!(
        "SELECT {TOKEN_COLUMNS} FROM hardware_tokens WHERE method_id IS NULL ORDER BY serial LIMIT $1"
    );
    let rows = sqlx::query_as(&sql)
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .context("listing unassigned tokens")?;
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM hardware_tokens WHERE method_id IS NULL")
        .fetch_one(db.pool())
        .await
        .context("counting unassigned tokens")?;
    Ok((rows, total))
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AssignedRow {
    pub serial: String,
    pub mode: String,
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub assigned_at: Option<i64>,
}

/// Assigned tokens with their person, most recently assigned first.
pub async fn assigned(db: &Db, limit: i64) -> anyhow::Result<Vec<AssignedRow>> {
    sqlx::query_as(
        "SELECT t.serial, t.mode, u.id AS user_id, u.username, u.display_name, t.assigned_at \
         FROM hardware_tokens t JOIN mfa_methods m ON m.id = t.method_id \
         JOIN users u ON u.id = m.user_id ORDER BY t.assigned_at DESC, t.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .context("listing assigned tokens")
}

/// The seed of an assigned token, moved to the person's new method.
pub struct Assignment<'a> {
    pub token_id: i64,
    pub user: UserId,
    pub name: &'a str,
    pub mode: &'a str,
    pub algorithm: &'a str,
    pub digits: i64,
    pub period: i64,
    /// HOTP: one past the counter of the code just accepted.
    pub counter: Option<i64>,
    /// TOTP: the step of the code just accepted.
    pub last_used_step: Option<i64>,
    pub now: i64,
}

/// Creates the person's active method with the token's seed (sealed for the method
/// by `seal`) and marks the token assigned, in the caller's transaction. False when
/// the token was assigned meanwhile (nothing is kept then: roll back).
pub async fn assign(
    tx: &mut Tx,
    assignment: Assignment<'_>,
    seal: impl FnOnce(MethodId) -> anyhow::Result<String>,
) -> anyhow::Result<Option<MethodId>> {
    let method_id: MethodId = sqlx::query_scalar(
        "INSERT INTO mfa_methods (user_id, kind, name, created_at, status) \
         VALUES ($1, 'totp', $2, $3, 'active') RETURNING id",
    )
    .bind(assignment.user.0)
    .bind(assignment.name)
    .bind(assignment.now)
    .fetch_one(&mut **tx)
    .await
    .context("creating a token's method")?;
    sqlx::query(
        "INSERT INTO totp_secrets (method_id, sealed_secret, algorithm, digits, period, mode, \
         counter, last_used_step) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(method_id)
    .bind(seal(method_id)?)
    .bind(assignment.algorithm)
    .bind(assignment.digits)
    .bind(assignment.period)
    .bind(assignment.mode)
    .bind(assignment.counter)
    .bind(assignment.last_used_step)
    .execute(&mut **tx)
    .await
    .context("storing a token's seed for its method")?;
    let taken = sqlx::query(
        "UPDATE hardware_tokens SET method_id = $2, assigned_at = $3 \
         WHERE id = $1 AND method_id IS NULL",
    )
    .bind(assignment.token_id)
    .bind(method_id)
    .bind(assignment.now)
    .execute(&mut **tx)
    .await
    .context("assigning a token")?;
    Ok((taken.rows_affected() == 1).then_some(method_id))
}

/// Accepts HOTP counter `matched` for the method: the next code must come after it.
/// One statement, so of two submissions of one code exactly one gets `true`.
pub async fn claim_counter(db: &Db, method_id: MethodId, matched: i64) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE totp_secrets SET counter = $2 + 1 \
         WHERE method_id = $1 AND mode = 'hotp' AND counter <= $2",
    )
    .bind(method_id)
    .bind(matched)
    .execute(db.pool())
    .await
    .context("claiming an HOTP counter")?;
    Ok(result.rows_affected() == 1)
}

/// Moves a method's HOTP counter from `from` (as read) to `to` (resynchronisation).
pub async fn move_counter(
    db: &Db,
    method_id: MethodId,
    from: i64,
    to: i64,
) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE totp_secrets SET counter = $3 WHERE method_id = $1 AND mode = 'hotp' AND counter = $2",
    )
    .bind(method_id)
    .bind(from)
    .bind(to)
    .execute(db.pool())
    .await
    .context("resynchronising an HOTP counter")?;
    Ok(result.rows_affected() == 1)
}

/// Whose method `method_id` is.
pub async fn owner_of(db: &Db, method_id: MethodId) -> anyhow::Result<UserId> {
    sqlx::query_scalar("SELECT user_id FROM mfa_methods WHERE id = $1")
        .bind(method_id)
        .fetch_one(db.pool())
        .await
        .context("finding a method's owner")
}

pub struct NewImport<'a> {
    pub now: i64,
    pub imported_by: &'a str,
    pub file_name: &'a str,
    pub imported: i64,
    pub already_known: i64,
    pub problems: &'a str,
}

pub async fn record_import<'e>(exec: impl Exec<'e>, import: NewImport<'_>) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO token_imports (imported_at, imported_by, file_name, imported, already_known, \
         problems) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(import.now)
    .bind(import.imported_by)
    .bind(import.file_name)
    .bind(import.imported)
    .bind(import.already_known)
    .bind(import.problems)
    .fetch_one(exec)
    .await
    .context("recording a token import")
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ImportRow {
    pub imported_at: i64,
    pub imported_by: String,
    pub file_name: String,
    pub imported: i64,
    pub already_known: i64,
    pub problems: String,
}

pub async fn find_import(db: &Db, id: i64) -> anyhow::Result<Option<ImportRow>> {
    sqlx::query_as(
        "SELECT imported_at, imported_by, file_name, imported, already_known, problems \
         FROM token_imports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await
    .context("reading a token import")
}
