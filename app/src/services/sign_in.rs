//! The password step of signing in: lockout, per-address limit, constant-shape
//! refusals, rehashing, and a sign-in event for every attempt.

use super::passwords::Verification;
use super::remembered;
use super::{limits, lockout};
use crate::domain::text::escape_control;
use crate::domain::{MfaState, ResultCode, Username};
use crate::state::Services;
use crate::store::sign_in_events::{self, NewSignInEvent};
use crate::store::users::{self, UserRow};
use crate::store::{UserId, account_controls, methods};
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
    /// An administrator set the password: the person chooses their own first
    /// (`temporary_password::replace_temporary`), then the sign-in goes on.
    MustChangePassword,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInRefusal {
    /// Unknown user, wrong password and locked account alike.
    InvalidCredentials,
    Blocked,
    /// An administrator disabled the account.
    Disabled,
    TooManyFromAddress,
}

pub async fn sign_in(
    state: &Services,
    attempt: SignInAttempt,
) -> anyhow::Result<Result<SignedIn, SignInRefusal>> {
    let now = state.clock.now();
    let event = EventDraft::new(&attempt, now);
    if !limits::sign_in_from(state, attempt.ip).await? {
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
    let claim = match lockout::claim(state, user.id).await? {
        Ok(claim) => claim,
        Err(_until) => {
            // The same work and the same answer as a wrong password: the page must
            // not tell an attacker that the account exists. The owner is e-mailed.
            state.hasher.verify(attempt.password, None).await?;
            event
                .record(state, Some(user.id), ResultCode::AccountLocked)
                .await?;
            return Ok(Err(SignInRefusal::InvalidCredentials));
        }
    };
    let verification = state
        .hasher
        .verify(attempt.password.clone(), Some(user.password_hash.clone()))
        .await?;
    match verification {
        Verification::Mismatch => {
            claim.failed(state, attempt.ip).await?;
            event
                .record(state, Some(user.id), ResultCode::PasswordIncorrect)
                .await?;
            Ok(Err(SignInRefusal::InvalidCredentials))
        }
        Verification::Match { .. } if user.blocked_at.is_some() => {
            claim.handed_back(state).await?;
            event
                .record(state, Some(user.id), ResultCode::UserIsBlocked)
                .await?;
            Ok(Err(SignInRefusal::Blocked))
        }
        Verification::Match { .. } if user.disabled_at.is_some() => {
            claim.handed_back(state).await?;
            event
                .record(state, Some(user.id), ResultCode::UserDisabled)
                .await?;
            Ok(Err(SignInRefusal::Disabled))
        }
        Verification::Match { needs_rehash } => {
            if needs_rehash {
                let hash = state.hasher.hash(attempt.password).await?;
                users::replace_password_hash(&state.db, user.id, &hash).await?;
            }
            let (next, code) = if user.must_change_password {
                // "Expired and not changed": the secret must be replaced first.
                (
                    SignInNext::MustChangePassword,
                    ResultCode::PINExpiredAndNotChanged,
                )
            } else {
                next_step(state, &user, attempt.device_token.as_deref()).await?
            };
            if matches!(next, SignInNext::Complete { .. }) {
                claim.succeeded(state).await?;
            } else {
                claim.handed_back(state).await?;
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

/// Whether a second step is due, and the event code that says so. Enabled and
/// enforced alike ask a person without a method to register one (Entra's meaning);
/// an administrator's one-time bypass skips a due second step once.
pub(crate) async fn next_step(
    state: &Services,
    user: &UserRow,
    device_token: Option<&str>,
) -> anyhow::Result<(SignInNext, ResultCode)> {
    let has_method = methods::count_for(&state.db, user.id).await? > 0;
    if user.mfa_state == MfaState::Disabled {
        // Without a method the password is all there is to verify: it counts as
        // recent verification for adding the first one.
        return Ok((
            SignInNext::Complete {
                verified: !has_method,
            },
            ResultCode::PasswordVerified,
        ));
    }
    if !has_method {
        return Ok((SignInNext::MustRegister, ResultCode::UserIncomplete));
    }
    if remembered::is_remembered(state, user.id, device_token).await? {
        return Ok((
            SignInNext::Complete { verified: false },
            ResultCode::SecondStepRemembered,
        ));
    }
    if account_controls::claim_bypass(state.db.pool(), user.id, state.clock.now()).await? {
        return Ok((
            SignInNext::Complete { verified: false },
            ResultCode::BypassedAuth,
        ));
    }
    Ok((SignInNext::SecondFactor, ResultCode::OATHCodePending))
}

/// Re-checks a signed-in user's password (confirming identity before their first
/// method). A wrong password counts toward lockout like at sign-in.
pub async fn confirm_password(
    state: &Services,
    user_id: UserId,
    password: SecretString,
    ip: IpAddr,
) -> anyhow::Result<bool> {
    let Some(user) = users::find_by_id(&state.db, user_id).await? else {
        return Ok(false);
    };
    let Ok(claim) = lockout::claim(state, user.id).await? else {
        return Ok(false);
    };
    match state
        .hasher
        .verify(password, Some(user.password_hash.clone()))
        .await?
    {
        Verification::Match { .. } => {
            claim.succeeded(state).await?;
            Ok(true)
        }
        Verification::Mismatch => {
            claim.failed(state, ip).await?;
            Ok(false)
        }
    }
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

    /// An attempt with a temporary access pass instead of the password.
    pub(crate) fn via_access_pass(mut self) -> Self {
        self.auth_type = "temporary access pass";
        self
    }

    /// A helpdesk agent's read-only view of the person's portal, listed in their
    /// sign-ins with the agent as the app.
    pub(crate) fn via_helpdesk_view(mut self, app: &str) -> Self {
        self.auth_type = "helpdesk view";
        self.app_name = escape_control(app, 64);
        self
    }

    pub(crate) async fn record(
        &self,
        state: &Services,
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
