//! The password step of signing in: lockout, per-address limit, constant-shape
//! refusals, rehashing, and a sign-in event for every attempt.

use super::audit::{self, Actor, AuditRecord};
use super::passwords::Verification;
use crate::domain::text::escape_control;
use crate::domain::{ResultCode, Username};
use crate::state::AppState;
use crate::store::UserId;
use crate::store::sign_in_events::{self, NewSignInEvent};
use crate::store::users::{self, UserRow};
use secrecy::SecretString;
use std::net::IpAddr;

const AUTH_TYPE_BROWSER: &str = "browser";

pub struct SignInAttempt {
    pub username_typed: String,
    pub password: SecretString,
    pub ip: IpAddr,
    pub user_agent: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedIn {
    pub user_id: UserId,
    pub event_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInRefusal {
    /// Unknown user and wrong password alike.
    InvalidCredentials,
    Locked {
        until: i64,
    },
    Blocked,
    TooManyFromAddress,
}

pub async fn sign_in(
    state: &AppState,
    attempt: SignInAttempt,
) -> anyhow::Result<Result<SignedIn, SignInRefusal>> {
    let now = state.clock.now();
    let event = EventDraft::new(&attempt, now);
    if state.sign_in_limiter.check_key(&attempt.ip).is_err() {
        event
            .record(state, None, ResultCode::TooManyAttemptsFromAddress)
            .await?;
        return Ok(Err(SignInRefusal::TooManyFromAddress));
    }
    let user = match Username::parse(&attempt.username_typed) {
        Ok(username) => users::find_by_username(&state.db, &username).await?,
        Err(_) => None,
    };
    let Some(user) = user else {
        state.hasher.verify(attempt.password, None).await?;
        event.record(state, None, ResultCode::UserNotFound).await?;
        return Ok(Err(SignInRefusal::InvalidCredentials));
    };
    if let Some(until) = user.locked_until.filter(|until| *until > now) {
        // Spend the same time as a real check, but do not test the password.
        state.hasher.verify(attempt.password, None).await?;
        event
            .record(state, Some(user.id), ResultCode::AccountLocked)
            .await?;
        return Ok(Err(SignInRefusal::Locked { until }));
    }
    let verification = state
        .hasher
        .verify(attempt.password.clone(), Some(user.password_hash.clone()))
        .await?;
    match verification {
        Verification::Mismatch => {
            count_failure(state, &user, now, attempt.ip).await?;
            event
                .record(state, Some(user.id), ResultCode::PasswordIncorrect)
                .await?;
            Ok(Err(SignInRefusal::InvalidCredentials))
        }
        Verification::Match { .. } if user.blocked_at.is_some() => {
            event
                .record(state, Some(user.id), ResultCode::UserIsBlocked)
                .await?;
            Ok(Err(SignInRefusal::Blocked))
        }
        Verification::Match { needs_rehash } => {
            if user.failed_sign_ins > 0 || user.lockout_count > 0 || user.locked_until.is_some() {
                users::clear_failures(&state.db, user.id).await?;
            }
            if needs_rehash {
                let hash = state.hasher.hash(attempt.password).await?;
                users::replace_password_hash(&state.db, user.id, &hash).await?;
            }
            let event_id = event
                .record(state, Some(user.id), ResultCode::PasswordVerified)
                .await?;
            Ok(Ok(SignedIn {
                user_id: user.id,
                event_id,
            }))
        }
    }
}

async fn count_failure(
    state: &AppState,
    user: &UserRow,
    now: i64,
    ip: IpAddr,
) -> anyhow::Result<()> {
    let failures = users::add_failure(&state.db, user.id).await?;
    let policy = &state.policy;
    if failures < policy.lockout_threshold {
        return Ok(());
    }
    let until = now
        + lockout_secs(
            policy.lockout_base_secs,
            policy.lockout_max_secs,
            user.lockout_count,
        );
    if users::lock_if_over(&state.db, user.id, policy.lockout_threshold, until).await? {
        let ip = ip.to_string();
        let detail = format!("locked after {failures} failed sign-ins until {until}");
        let record = AuditRecord {
            actor: &Actor::System("lockout"),
            subject: Some(user.id),
            action: "account.locked",
            detail: &detail,
            ip: Some(&ip),
        };
        audit::record(&state.db, now, record).await?;
        tracing::warn!(
            user_id = user.id.0,
            until,
            "account locked after repeated failures"
        );
    }
    Ok(())
}

/// The n-th lockout since the last success lasts base × 2ⁿ, capped at `max`.
pub fn lockout_secs(base: i64, max: i64, previous_lockouts: i64) -> i64 {
    let doublings = u32::try_from(previous_lockouts.clamp(0, 30)).unwrap_or(30);
    base.saturating_mul(1_i64 << doublings).min(max)
}

/// The parts of a sign-in event known before the outcome.
struct EventDraft {
    occurred_at: i64,
    username_typed: String,
    ip: String,
    user_agent: String,
}

impl EventDraft {
    fn new(attempt: &SignInAttempt, now: i64) -> Self {
        Self {
            occurred_at: now,
            username_typed: escape_control(&attempt.username_typed, 256),
            ip: attempt.ip.to_string(),
            user_agent: escape_control(&attempt.user_agent, 512),
        }
    }

    async fn record(
        &self,
        state: &AppState,
        user_id: Option<UserId>,
        code: ResultCode,
    ) -> anyhow::Result<i64> {
        let succeeded = code == ResultCode::PasswordVerified;
        sign_in_events::insert(
            &state.db,
            NewSignInEvent {
                occurred_at: self.occurred_at,
                user_id,
                username_typed: &self.username_typed,
                ip: &self.ip,
                user_agent: &self.user_agent,
                auth_type: AUTH_TYPE_BROWSER,
                succeeded,
                result_code: code,
            },
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::lockout_secs;

    #[test]
    fn each_lockout_lasts_twice_as_long_as_the_one_before_up_to_the_cap() {
        assert_eq!(lockout_secs(900, 86_400, 0), 900);
        assert_eq!(lockout_secs(900, 86_400, 1), 1_800);
        assert_eq!(lockout_secs(900, 86_400, 3), 7_200);
        assert_eq!(lockout_secs(900, 86_400, 10), 86_400);
        assert_eq!(lockout_secs(900, 86_400, i64::MAX), 86_400);
    }
}
