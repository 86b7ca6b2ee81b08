//! The `phone_challenges` table: one text-message code or call, bound to the user,
//! the phone and the sign-in event of the session that asked for it.

use super::{Db, Exec, MethodId, UserId};
use crate::domain::{ChallengePurpose, ChallengeState, PhoneChannel, VoiceMode};
use anyhow::Context;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ChallengeRow {
    pub id: i64,
    pub user_id: i64,
    pub method_id: MethodId,
    pub purpose: ChallengePurpose,
    pub channel: PhoneChannel,
    pub voice_mode: Option<VoiceMode>,
    pub bound_event_id: i64,
    pub ip: String,
    pub user_agent: String,
    pub code_mac: Option<String>,
    pub call_token: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub sends: i64,
    pub last_sent_at: i64,
    pub failures: i64,
    pub outbox_id: Option<i64>,
    pub status: ChallengeState,
    pub result_code: Option<i64>,
    /// The number a number-matching call asks for (shown on the sign-in page).
    pub match_number: Option<i64>,
}

pub struct NewChallenge<'a> {
    pub user: UserId,
    pub method_id: MethodId,
    pub purpose: ChallengePurpose,
    pub channel: PhoneChannel,
    pub voice_mode: Option<VoiceMode>,
    pub bound_event_id: i64,
    pub ip: &'a str,
    pub user_agent: &'a str,
    pub call_token: Option<&'a str>,
    pub match_number: Option<i64>,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert<'e>(exec: impl Exec<'e>, new: NewChallenge<'_>) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO phone_challenges (user_id, method_id, purpose, channel, voice_mode, \
         bound_event_id, ip, user_agent, call_token, created_at, expires_at, last_sent_at, \
         match_number) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10, $12) RETURNING id",
    )
    .bind(new.user.0)
    .bind(new.method_id)
    .bind(new.purpose)
    .bind(new.channel)
    .bind(new.voice_mode)
    .bind(new.bound_event_id)
    .bind(new.ip)
    .bind(new.user_agent)
    .bind(new.call_token)
    .bind(new.now)
    .bind(new.expires_at)
    .bind(new.match_number)
    .fetch_one(exec)
    .await
    .context("creating a phone challenge")
}

const COLUMNS: &str = "id, user_id, method_id, purpose, channel, voice_mode, bound_event_id, ip, \
     user_agent, code_mac, call_token, created_at, expires_at, sends, last_sent_at, failures, \
     outbox_id, status, result_code, match_number";

/// The user's challenge `id`.
pub async fn find(db: &Db, user: UserId, id: i64) -> anyhow::Result<Option<ChallengeRow>> {
    let sql = format!("SELECT {COLUMNS} FROM phone_challenges WHERE id = $1 AND user_id = $2");
    sqlx::query_as::<_, ChallengeRow>(&sql)
        .bind(id)
        .bind(user.0)
        .fetch_optional(db.pool())
        .await
        .context("reading a phone challenge")
}

/// The challenge a call's webhook or the development phone names by its token.
pub async fn find_by_token(db: &Db, token: &str) -> anyhow::Result<Option<ChallengeRow>> {
    let sql = format!("SELECT {COLUMNS} FROM phone_challenges WHERE call_token = $1");
    sqlx::query_as::<_, ChallengeRow>(&sql)
        .bind(token)
        .fetch_optional(db.pool())
        .await
        .context("reading a call")
}

/// The challenge whose latest message is outbox row `outbox_id`.
pub async fn find_by_outbox(db: &Db, outbox_id: i64) -> anyhow::Result<Option<ChallengeRow>> {
    let sql = format!("SELECT {COLUMNS} FROM phone_challenges WHERE outbox_id = $1");
    sqlx::query_as::<_, ChallengeRow>(&sql)
        .bind(outbox_id)
        .fetch_optional(db.pool())
        .await
        .context("reading a message's challenge")
}

/// Stores the (new) code's keyed hash and the message carrying it. A resend keeps
/// the failure count; its send was counted by `claim_resend`.
pub async fn set_code<'e>(
    exec: impl Exec<'e>,
    id: i64,
    code_mac: Option<&str>,
    outbox_id: i64,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE phone_challenges SET code_mac = $2, outbox_id = $3, last_sent_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(code_mac)
    .bind(outbox_id)
    .bind(now)
    .execute(exec)
    .await
    .context("storing a phone code")?;
    Ok(())
}

/// The rules a resend must meet.
#[derive(Clone, Copy, Debug)]
pub struct ResendRules {
    pub max_sends: i64,
    pub min_gap_secs: i64,
    pub max_failures: i64,
}

/// Claims one more message for an open, unexpired challenge with tries left, at
/// most `max_sends` in all and `min_gap_secs` apart: one conditional update, so a
/// burst of resends gets at most the cap.
pub async fn claim_resend<'e>(
    exec: impl Exec<'e>,
    id: i64,
    now: i64,
    rules: ResendRules,
) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE phone_challenges SET sends = sends + 1, last_sent_at = $2 \
         WHERE id = $1 AND status = 'open' AND expires_at >= $2 AND failures < $5 \
         AND sends < $3 AND last_sent_at <= $4",
    )
    .bind(id)
    .bind(now)
    .bind(rules.max_sends)
    .bind(now - rules.min_gap_secs)
    .bind(rules.max_failures)
    .execute(exec)
    .await
    .context("claiming a resend")?;
    Ok(result.rows_affected() == 1)
}

/// Counts a try at the code before it is compared, unless the challenge is closed,
/// expired or has had `max_tries` already: one statement, so parallel guesses
/// cannot all be compared. Returns whether the try may go ahead.
pub async fn claim_try(db: &Db, id: i64, now: i64, max_tries: i64) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE phone_challenges SET failures = failures + 1 \
         WHERE id = $1 AND status = 'open' AND expires_at >= $2 AND failures < $3",
    )
    .bind(id)
    .bind(now)
    .bind(max_tries)
    .execute(db.pool())
    .await
    .context("counting a try at a phone code")?;
    Ok(result.rows_affected() == 1)
}

/// Moves an open challenge to `status`; `false` when it was no longer open (a code
/// is used once, a call is answered once).
pub async fn decide(
    db: &Db,
    id: i64,
    status: ChallengeState,
    result_code: i64,
    now: i64,
) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE phone_challenges SET status = $2, result_code = $3, decided_at = $4 \
         WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .bind(status)
    .bind(result_code)
    .bind(now)
    .execute(db.pool())
    .await
    .context("deciding a phone challenge")?;
    Ok(result.rows_affected() == 1)
}

/// Takes an approved call for the sign-in it was for: single use.
pub async fn consume_approved(db: &Db, id: i64, now: i64) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE phone_challenges SET status = 'used', decided_at = $2 \
         WHERE id = $1 AND status = 'approved'",
    )
    .bind(id)
    .bind(now)
    .execute(db.pool())
    .await
    .context("using an approved call")?;
    Ok(result.rows_affected() == 1)
}
