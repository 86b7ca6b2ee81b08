//! The `caller_verifications` table: every attempt of a helpdesk agent to verify
//! the person on the phone, and the proof it leaves while it lasts.

use super::{Db, Exec, UserId};
use anyhow::Context;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct VerificationRow {
    pub id: i64,
    pub way: String,
    pub method_label: String,
    #[sqlx(try_from = "super::Flag")]
    pub verified: bool,
    pub result_code: i64,
    pub occurred_at: i64,
    pub valid_until: Option<i64>,
}

pub struct NewVerification<'a> {
    pub agent: UserId,
    pub subject: UserId,
    pub way: &'a str,
    pub method_label: &'a str,
    pub verified: bool,
    pub result_code: i64,
    pub now: i64,
    pub valid_until: Option<i64>,
}

pub async fn insert<'e>(exec: impl Exec<'e>, new: NewVerification<'_>) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO caller_verifications (agent_user_id, subject_user_id, way, method_label, \
         verified, result_code, occurred_at, valid_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new.agent.0)
    .bind(new.subject.0)
    .bind(new.way)
    .bind(new.method_label)
    .bind(i64::from(new.verified))
    .bind(new.result_code)
    .bind(new.now)
    .bind(new.valid_until)
    .execute(exec)
    .await
    .context("recording a caller verification")?;
    Ok(())
}

/// The verification of `subject` by `agent` still in force at `now`, if any.
pub async fn live<'e>(
    exec: impl Exec<'e>,
    agent: UserId,
    subject: UserId,
    now: i64,
) -> anyhow::Result<Option<VerificationRow>> {
    sqlx::query_as(
        "SELECT id, way, method_label, verified, result_code, occurred_at, valid_until \
         FROM caller_verifications WHERE agent_user_id = $1 AND subject_user_id = $2 \
         AND verified = 1 AND valid_until > $3 ORDER BY occurred_at DESC, id DESC LIMIT 1",
    )
    .bind(agent.0)
    .bind(subject.0)
    .bind(now)
    .fetch_optional(exec)
    .await
    .context("reading a caller verification")
}

/// The newest attempts of `agent` on `subject`, newest first.
pub async fn recent(
    db: &Db,
    agent: UserId,
    subject: UserId,
    limit: i64,
) -> anyhow::Result<Vec<VerificationRow>> {
    sqlx::query_as(
        "SELECT id, way, method_label, verified, result_code, occurred_at, valid_until \
         FROM caller_verifications WHERE agent_user_id = $1 AND subject_user_id = $2 \
         ORDER BY occurred_at DESC, id DESC LIMIT $3",
    )
    .bind(agent.0)
    .bind(subject.0)
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .context("listing caller verifications")
}
