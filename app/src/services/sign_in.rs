//! The password step of signing in: lockout, per-address limit, constant-shape
//! refusals, rehashing, and a sign-in event for every attempt.

use super::audit::{self, Actor, AuditRecord};
use super::passwords::Verification;
use super::remembered;
use crate::domain::text::escape_control;
use crate::domain::{MfaState, ResultCode, Username};
use crate::state::AppState;
use crate::store::sign_in_events::{self, NewSignInEvent};
use crate::store::users::{self, UserRow};
use crate::store::{UserId, methods};
use secrecy::SecretString;
use std::net::IpAddr;

const AUTH_TYPE_BROWSER: &str = "browser";

pub struct SignInAttempt {
    pub username_typed: String,
    pub password: SecretString,
    pub ip: IpAddr,
    pub user_agent: String,
    /// The remembered-device cookie, if the browser sent one.
    pub device_token: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedIn {
    pub user_id: UserId,
    pub event_id: i64,
    pub next: SignInNext,
    /// The user's session epoch when the password was checked; a session started
    /// from this sign-in ends when the epoch moves on.
    pub session_epoch: i64,
}

/// What follows a correct password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInNext {
    /// Signed in. `verified` says whether this counts as a recent verification for
    /// changing methods (only when the person has no method yet).
    Complete {
        verified: bool,
    },
    SecondFactor,
    MustRegister,
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
            if needs_rehash {
                let hash = state.hasher.hash(attempt.password).await?;
                users::replace_password_hash(&state.db, user.id, &hash).await?;
            }
            let (next, code) = next_step(state, &user, attempt.device_token.as_deref()).await?;
            // Failures reset only when the sign-in is complete: a password alone must
            // not buy an attacker fresh guesses at the second factor.
            if matches!(next, SignInNext::Complete { .. }) {
                clear_failures_if_any(state, &user).await?;
            }
            let event_id = event.record(state, Some(user.id), code).await?;
            Ok(Ok(SignedIn {
                user_id: user.id,
                event_id,
                next,
                session_epoch: user.session_epoch,
            }))
        }
    }
}

pub(crate) async fn clear_failures_if_any(state: &AppState, user: &UserRow) -> anyhow::Result<()> {
    if user.failed_sign_ins > 0 || user.lockout_count > 0 || user.locked_until.is_some() {
        users::clear_failures(&state.db, user.id).await?;
    }
    Ok(())
}

/// Whether a second step is due, and the event code that says so.
async fn next_step(
    state: &AppState,
    user: &UserRow,
    device_token: Option<&str>,
) -> anyhow::Result<(SignInNext, ResultCode)> {
    if user.mfa_state == MfaState::Disabled {
        return Ok((
            SignInNext::Complete { verified: false },
            ResultCode::PasswordVerified,
        ));
    }
    if methods::count_for(&state.db, user.id).await? == 0 {
        return Ok(match user.mfa_state {
            MfaState::Enforced => (SignInNext::MustRegister, ResultCode::UserIncomplete),
            _ => (
                SignInNext::Complete { verified: true },
                ResultCode::PasswordVerified,
            ),
        });
    }
    if remembered::is_remembered(state, user.id, device_token).await? {
        return Ok((
            SignInNext::Complete { verified: false },
            ResultCode::SecondStepRemembered,
        ));
    }
    Ok((SignInNext::SecondFactor, ResultCode::OATHCodePending))
}

/// Re-checks a signed-in user's password (confirming identity before their first
/// method). A wrong password counts toward lockout like at sign-in.
pub async fn confirm_password(
    state: &AppState,
    user_id: UserId,
    password: SecretString,
    ip: IpAddr,
) -> anyhow::Result<bool> {
    let Some(user) = users::find_by_id(&state.db, user_id).await? else {
        return Ok(false);
    };
    let now = state.clock.now();
    if user.locked_until.is_some_and(|until| until > now) {
        return Ok(false);
    }
    match state
        .hasher
        .verify(password, Some(user.password_hash.clone()))
        .await?
    {
        Verification::Match { .. } => Ok(true),
        Verification::Mismatch => {
            count_failure(state, &user, now, ip).await?;
            Ok(false)
        }
    }
}

/// Counts a failed password or code toward the account's lockout.
pub(crate) async fn count_failure(
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
        audit::record(state.db.pool(), now, record).await?;
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
pub(crate) struct EventDraft {
    occurred_at: i64,
    username_typed: String,
    ip: String,
    user_agent: String,
    auth_type: &'static str,
    app_name: String,
}

impl EventDraft {
    fn new(attempt: &SignInAttempt, now: i64) -> Self {
        Self::from_parts(
            &attempt.username_typed,
            attempt.ip,
            &attempt.user_agent,
            now,
        )
    }

    pub(crate) fn from_parts(username: &str, ip: IpAddr, user_agent: &str, now: i64) -> Self {
        Self {
            occurred_at: now,
            username_typed: escape_control(username, 256),
            ip: ip.to_string(),
            user_agent: escape_control(user_agent, 512),
            auth_type: AUTH_TYPE_BROWSER,
            app_name: "Portal".to_owned(),
        }
    }

    /// An attempt through the app-password endpoint (`app` once the password is known).
    pub(crate) fn via_app_password(mut self, app: Option<&str>) -> Self {
        self.auth_type = "app password";
        self.app_name = escape_control(app.unwrap_or("Unknown app"), 64);
        self
    }

    pub(crate) async fn record(
        &self,
        state: &AppState,
        user_id: Option<UserId>,
        code: ResultCode,
    ) -> anyhow::Result<i64> {
        let succeeded = code.completes_sign_in();
        sign_in_events::insert(
            &state.db,
            NewSignInEvent {
                occurred_at: self.occurred_at,
                user_id,
                username_typed: &self.username_typed,
                ip: &self.ip,
                user_agent: &self.user_agent,
                auth_type: self.auth_type,
                app_name: &self.app_name,
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
