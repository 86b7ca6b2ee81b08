//! The `totp_secrets` table: sealed seeds and the replay guard.

use super::{Db, Flag, MethodId, UserId};
use anyhow::Context;

/// A TOTP method of one user, with its sealed seed (opened only in the service).
#[derive(sqlx::FromRow)]
pub struct TotpRow {
    pub method_id: MethodId,
    pub name: String,
    #[sqlx(try_from = "Flag")]
    pub active: bool,
    pub pending_until: Option<i64>,
    pub sealed_secret: String,
    pub algorithm: String,
    pub digits: i64,
    pub period: i64,
    pub last_used_step: Option<i64>,
    /// "totp", or "hotp" for a counter-based hardware token.
    pub mode: String,
    /// HOTP: the lowest counter the next code may have.
    pub counter: Option<i64>,
}

pub struct NewTotp<'a> {
    pub user: UserId,
    pub name: &'a str,
    pub algorithm: &'a str,
    pub digits: i64,
    pub period: i64,
    pub now: i64,
    pub pending_until: i64,
}

/// Creates a pending method and its seed in one transaction. The seed is sealed by
/// `seal(method_id)` because the seal binds it to the row's id.
pub async fn insert_pending(
    db: &Db,
    totp: NewTotp<'_>,
    seal: impl FnOnce(MethodId) -> anyhow::Result<String>,
) -> anyhow::Result<MethodId> {
    let mut tx = db.begin().await.context("starting an enrolment")?;
    let method_id: MethodId = sqlx::query_scalar(
        "INSERT INTO mfa_methods (user_id, kind, name, created_at, status, pending_until) \
         VALUES ($1, 'totp', $2, $3, 'pending', $4) RETURNING id",
    )
    .bind(totp.user.0)
    .bind(totp.name)
    .bind(totp.now)
    .bind(totp.pending_until)
    .fetch_one(&mut *tx)
    .await
    .context("creating a pending method")?;
    sqlx::query(
        "INSERT INTO totp_secrets (method_id, sealed_secret, algorithm, digits, period) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(method_id)
    .bind(seal(method_id)?)
    .bind(totp.algorithm)
    .bind(totp.digits)
    .bind(totp.period)
    .execute(&mut *tx)
    .await
    .context("storing a sealed seed")?;
    tx.commit().await.context("finishing an enrolment")?;
    Ok(method_id)
}

pub async fn find(db: &Db, user: UserId, method_id: MethodId) -> anyhow::Result<Option<TotpRow>> {
    sqlx::query_as::<_, TotpRow>(
        "SELECT m.id AS method_id, m.name, CASE WHEN m.status = 'active' THEN 1 ELSE 0 END AS active, \
         m.pending_until, t.sealed_secret, t.algorithm, t.digits, \
         t.period, t.last_used_step, t.mode, t.counter \
         FROM mfa_methods m JOIN totp_secrets t ON t.method_id = m.id \
         WHERE m.id = $1 AND m.user_id = $2",
    )
    .bind(method_id)
    .bind(user)
    .fetch_optional(db.pool())
    .await
    .context("loading an authenticator app")
}

/// Records `step` as used if it is later than the last used one. One statement, so of
/// two concurrent submissions of one code exactly one gets `true`.
pub async fn claim_step(db: &Db, method_id: MethodId, step: i64) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE totp_secrets SET last_used_step = $2 \
         WHERE method_id = $1 AND (last_used_step IS NULL OR last_used_step < $2)",
    )
    .bind(method_id)
    .bind(step)
    .execute(db.pool())
    .await
    .context("claiming a time step")?;
    Ok(result.rows_affected() == 1)
}
