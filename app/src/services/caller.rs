//! Who is calling: the signed-in user behind a browser session, with the session's
//! idle and absolute timeouts checked against the injected clock, and the
//! half-signed-in state between the password and the second step.

use super::sign_in::SignedIn;
use crate::domain::Role;
use crate::domain::text::escape_control;
use crate::state::AppState;
use crate::store::UserId;
use crate::store::user_sessions::{self, NewUserSession};
use crate::store::users;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

const AUTH_KEY: &str = "auth";
const PENDING_KEY: &str = "pending";
/// Refresh `last_seen_at` at most this often, so reading a page rarely writes.
pub const LAST_SEEN_GRANULARITY_SECS: i64 = 30;
/// How long the second step may take after the password.
pub const PENDING_SIGN_IN_SECS: i64 = 5 * 60;
/// How long registering a first method at sign-in may take: installing an app takes
/// longer than typing a code, so as long as an enrolment lives.
pub const PENDING_REGISTRATION_SECS: i64 = 10 * 60;
/// How long a second factor (or, before the first method, the password) counts as
/// recent enough to change sign-in methods.
pub const RECENT_VERIFICATION_SECS: i64 = 10 * 60;

/// What the session remembers about a sign-in. Holds no secret.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct AuthRecord {
    user_id: i64,
    signed_in_at: i64,
    last_seen_at: i64,
    sign_in_event_id: i64,
    /// When the person last proved a second factor (or their password, while they
    /// have no method) in this session.
    verified_at: Option<i64>,
    /// The user's session epoch at sign-in; an older one than the user's is over.
    #[serde(default)]
    session_epoch: i64,
    /// The session's `user_sessions` row (browser, address, last seen).
    #[serde(default)]
    session_row: Option<i64>,
}

/// What must happen before a password-checked sign-in is complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PendingStage {
    /// Enter a code from a registered method.
    SecondFactor,
    /// MFA is enforced and no method exists: register one ("More information required").
    MustRegister,
}

impl PendingStage {
    fn lifetime_secs(self) -> i64 {
        match self {
            PendingStage::SecondFactor => PENDING_SIGN_IN_SECS,
            PendingStage::MustRegister => PENDING_REGISTRATION_SECS,
        }
    }
}

/// Between the password and the second step. Grants nothing but that step.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub user_id: i64,
    pub stage: PendingStage,
    pub started_at: i64,
    /// The password step's sign-in event.
    pub event_id: i64,
    /// The user's session epoch when the password was checked.
    #[serde(default)]
    pub session_epoch: i64,
}

/// A signed-in user, loaded fresh from the database on each request so a role
/// change or block takes effect at once.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub sign_in_event_id: i64,
    pub verified_at: Option<i64>,
    /// This session's `user_sessions` row, if it has one.
    pub session_row: Option<i64>,
    pub session_epoch: i64,
}

impl Caller {
    /// The caller as the audit log names them.
    pub fn actor(&self) -> super::audit::Actor {
        super::audit::Actor::User {
            id: self.user_id,
            username: self.username.clone(),
        }
    }

    pub fn recently_verified(&self, now: i64) -> bool {
        self.verified_at
            .is_some_and(|at| now - at <= RECENT_VERIFICATION_SECS)
    }
}

/// A new session id (no fixation) and the other sign-in state dropped, so a session
/// is never both half and fully signed in.
async fn rotate_without(session: &Session, stale_key: &str) -> anyhow::Result<()> {
    session
        .cycle_id()
        .await
        .context("rotating the session id")?;
    session
        .remove_value(stale_key)
        .await
        .context("clearing the previous sign-in state")?;
    Ok(())
}

/// Where a session was started from, for "Where you're signed in".
pub struct Origin<'a> {
    pub ip: &'a str,
    pub user_agent: &'a str,
}

/// Starts an authenticated session under a new id (no fixation), and records
/// where it runs.
pub async fn start_session(
    state: &AppState,
    session: &Session,
    signed_in: SignedIn,
    origin: &Origin<'_>,
    verified: bool,
) -> anyhow::Result<()> {
    let now = state.clock.now();
    rotate_without(session, PENDING_KEY).await?;
    let row = user_sessions::insert(
        &state.db,
        NewUserSession {
            user: signed_in.user_id,
            epoch: signed_in.session_epoch,
            now,
            ip: origin.ip,
            user_agent: &escape_control(origin.user_agent, 512),
        },
    )
    .await?;
    let record = AuthRecord {
        user_id: signed_in.user_id.0,
        signed_in_at: now,
        last_seen_at: now,
        sign_in_event_id: signed_in.event_id,
        verified_at: verified.then_some(now),
        session_epoch: signed_in.session_epoch,
        session_row: Some(row),
    };
    session
        .insert(AUTH_KEY, record)
        .await
        .context("storing the sign-in in the session")
}

/// After a correct password: remember who is half-way, under a new session id.
pub async fn start_pending(
    session: &Session,
    signed_in: SignedIn,
    stage: PendingStage,
    now: i64,
) -> anyhow::Result<()> {
    rotate_without(session, AUTH_KEY).await?;
    let pending = PendingSignIn {
        user_id: signed_in.user_id.0,
        stage,
        started_at: now,
        event_id: signed_in.event_id,
        session_epoch: signed_in.session_epoch,
    };
    session
        .insert(PENDING_KEY, pending)
        .await
        .context("storing the pending sign-in")
}

/// The pending sign-in of this session, if it has not expired.
pub async fn pending(state: &AppState, session: &Session) -> anyhow::Result<Option<PendingSignIn>> {
    let pending: Option<PendingSignIn> = session
        .get(PENDING_KEY)
        .await
        .context("reading the session")?;
    match pending {
        Some(p) if state.clock.now() - p.started_at <= p.stage.lifetime_secs() => Ok(Some(p)),
        Some(_) => {
            session
                .remove_value(PENDING_KEY)
                .await
                .context("dropping an expired sign-in")?;
            Ok(None)
        }
        None => Ok(None),
    }
}

/// Records a fresh second factor (step-up) and rotates the session id.
pub async fn mark_verified(session: &Session, now: i64) -> anyhow::Result<()> {
    rewrite_under_new_id(session, |record| record.verified_at = Some(now)).await
}

/// Moves this session into a new epoch after the user's other sessions were ended
/// (`users::bump_session_epoch`), under a new id.
pub async fn continue_in_epoch(
    state: &AppState,
    session: &Session,
    epoch: i64,
) -> anyhow::Result<()> {
    let mut row = None;
    rewrite_under_new_id(session, |record| {
        record.session_epoch = epoch;
        row = record.session_row;
    })
    .await?;
    if let Some(row) = row {
        user_sessions::move_to_epoch(&state.db, row, epoch).await?;
    }
    Ok(())
}

/// Changes the signed-in record and rotates the session id; no-op when signed out.
async fn rewrite_under_new_id(
    session: &Session,
    change: impl FnOnce(&mut AuthRecord),
) -> anyhow::Result<()> {
    let Some(mut record) = session
        .get::<AuthRecord>(AUTH_KEY)
        .await
        .context("reading the session")?
    else {
        return Ok(());
    };
    change(&mut record);
    session
        .cycle_id()
        .await
        .context("rotating the session id")?;
    session
        .insert(AUTH_KEY, record)
        .await
        .context("storing the session")
}

/// Deletes the session on the server; its cookie is worthless afterwards.
pub async fn end_session(session: &Session) -> anyhow::Result<()> {
    session.flush().await.context("deleting the session")
}

/// Signing out: the session is deleted and no longer listed where the person is
/// signed in.
pub async fn sign_out(state: &AppState, session: &Session) -> anyhow::Result<()> {
    let record: Option<AuthRecord> = session.get(AUTH_KEY).await.context("reading the session")?;
    if let Some(row) = record.and_then(|r| r.session_row) {
        user_sessions::end(&state.db, row, state.clock.now()).await?;
    }
    end_session(session).await
}

/// The caller of this session, or `None` when nobody (still) is signed in.
pub async fn current(state: &AppState, session: &Session) -> anyhow::Result<Option<Caller>> {
    let Some(mut record) = session
        .get::<AuthRecord>(AUTH_KEY)
        .await
        .context("reading the session")?
    else {
        return Ok(None);
    };
    let now = state.clock.now();
    let policy = &state.policy;
    let idle_expired = now - record.last_seen_at > policy.session_idle_secs;
    let absolute_expired = now - record.signed_in_at > policy.session_absolute_secs;
    if idle_expired || absolute_expired {
        end_session(session).await?;
        return Ok(None);
    }
    let user = users::find_by_id(&state.db, UserId(record.user_id)).await?;
    let live =
        |u: &users::UserRow| u.blocked_at.is_none() && u.session_epoch == record.session_epoch;
    let Some(user) = user.filter(live) else {
        end_session(session).await?;
        return Ok(None);
    };
    if now - record.last_seen_at >= LAST_SEEN_GRANULARITY_SECS {
        record.last_seen_at = now;
        session
            .insert(AUTH_KEY, record.clone())
            .await
            .context("refreshing the session")?;
        if let Some(row) = record.session_row {
            user_sessions::touch(&state.db, row, now).await?;
        }
    }
    Ok(Some(Caller {
        user_id: user.id,
        username: user.username,
        display_name: user.display_name,
        email: user.email,
        role: user.role,
        sign_in_event_id: record.sign_in_event_id,
        verified_at: record.verified_at,
        session_row: record.session_row,
        session_epoch: record.session_epoch,
    }))
}
