//! Signed-in sessions: starting one (recorded with its browser and address),
//! deciding on each request whether it still lives (idle and absolute timeouts,
//! blocks, the session epoch), where a person is signed in, and "sign out
//! everywhere else": every other session ends at once (the epoch moves on).
//!
//! The web layer stores a [`SignedInRecord`] in the browser's session and asks
//! [`resolve`] for the caller; nothing here knows about cookies.

use super::audit;
use super::caller::{Caller, LAST_SEEN_GRANULARITY_SECS, Person, SessionFacts};
use super::sign_in::SignedIn;
use super::time_format::utc_minutes;
use super::user_agent;
use crate::domain::AuditAction;
use crate::domain::text::escape_control;
use crate::domain::views::SessionView;
use crate::state::Services;
use crate::store::UserId;
use crate::store::user_sessions::{self, LiveSince, NewUserSession};
use crate::store::users;
use anyhow::Context;
use serde::{Deserialize, Serialize};

/// What a browser session remembers about a sign-in. Holds no secret.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignedInRecord {
    pub user_id: i64,
    pub signed_in_at: i64,
    pub last_seen_at: i64,
    pub sign_in_event_id: i64,
    /// When the person last proved a second factor (or their password, while they
    /// have no method) in this session.
    pub verified_at: Option<i64>,
    /// The user's session epoch at sign-in; an older one than the user's is over.
    #[serde(default)]
    pub session_epoch: i64,
    /// The session's `user_sessions` row (browser, address, last seen).
    #[serde(default)]
    pub session_row: Option<i64>,
}

/// Where a session was started from, for "Where you're signed in".
pub struct Origin {
    pub ip: String,
    pub user_agent: String,
}

/// Records a new signed-in session; the web layer stores the record under a new
/// session id.
pub async fn open(
    state: &Services,
    signed_in: &SignedIn,
    origin: &Origin,
    verified: bool,
) -> anyhow::Result<SignedInRecord> {
    let now = state.clock.now();
    let row = user_sessions::insert(
        &state.db,
        NewUserSession {
            user: signed_in.user_id,
            epoch: signed_in.session_epoch,
            now,
            ip: &origin.ip,
            user_agent: &escape_control(&origin.user_agent, 512),
        },
    )
    .await?;
    Ok(SignedInRecord {
        user_id: signed_in.user_id.0,
        signed_in_at: now,
        last_seen_at: now,
        sign_in_event_id: signed_in.event_id,
        verified_at: verified.then_some(now),
        session_epoch: signed_in.session_epoch,
        session_row: Some(row),
    })
}

/// What a stored sign-in amounts to on this request.
pub enum Resolution {
    /// Timed out, blocked, or ended elsewhere: the web layer deletes the session.
    Over,
    /// Still signed in. `refreshed`: `last_seen_at` moved on, store the record again.
    Live {
        caller: Box<Caller>,
        refreshed: bool,
    },
}

/// Checks a stored sign-in against the clock, the policy and the user's row.
pub async fn resolve(state: &Services, record: &mut SignedInRecord) -> anyhow::Result<Resolution> {
    let now = state.clock.now();
    let policy = &state.policy;
    let idle_expired = now - record.last_seen_at > policy.session_idle_secs;
    let absolute_expired = now - record.signed_in_at > policy.session_absolute_secs;
    if idle_expired || absolute_expired {
        return Ok(Resolution::Over);
    }
    let user = users::find_by_id(&state.db, UserId(record.user_id)).await?;
    let live = |u: &users::UserRow| {
        u.blocked_at.is_none() && u.disabled_at.is_none() && u.session_epoch == record.session_epoch
    };
    let Some(user) = user.filter(live) else {
        return Ok(Resolution::Over);
    };
    let refreshed = now - record.last_seen_at >= LAST_SEEN_GRANULARITY_SECS;
    if refreshed {
        record.last_seen_at = now;
        if let Some(row) = record.session_row {
            user_sessions::touch(&state.db, row, now).await?;
        }
    }
    let facts = SessionFacts {
        sign_in_event_id: record.sign_in_event_id,
        verified_at: record.verified_at,
        session_row: record.session_row,
        session_epoch: record.session_epoch,
    };
    Ok(Resolution::Live {
        caller: Box::new(Caller::themselves(Person::from(user), facts)),
        refreshed,
    })
}

/// Signing out: the session is no longer listed where the person is signed in.
pub async fn close(state: &Services, record: &SignedInRecord) -> anyhow::Result<()> {
    if let Some(row) = record.session_row {
        user_sessions::end(&state.db, row, state.clock.now()).await?;
    }
    Ok(())
}

/// Moves a session into `epoch` after the person's other sessions were ended.
pub async fn move_to_epoch(
    state: &Services,
    record: &mut SignedInRecord,
    epoch: i64,
) -> anyhow::Result<()> {
    record.session_epoch = epoch;
    if let Some(row) = record.session_row {
        user_sessions::move_to_epoch(&state.db, row, epoch).await?;
    }
    Ok(())
}

/// The caller's live sessions, this one first.
pub async fn where_signed_in(
    state: &Services,
    caller: &Caller,
) -> anyhow::Result<Vec<SessionView>> {
    live_sessions(
        state,
        caller.subject.id,
        caller.session_epoch,
        caller.session_row,
    )
    .await
}

/// `user`'s sessions that are live now (of `epoch`, neither idle nor too old), the
/// one whose row is `this_row` first.
pub async fn live_sessions(
    state: &Services,
    user: UserId,
    epoch: i64,
    this_row: Option<i64>,
) -> anyhow::Result<Vec<SessionView>> {
    let now = state.clock.now();
    let since = LiveSince {
        epoch,
        // Rows are refreshed at most every 30 s, so allow for that lag.
        seen_after: now - state.policy.session_idle_secs - LAST_SEEN_GRANULARITY_SECS,
        started_after: now - state.policy.session_absolute_secs,
    };
    let rows = user_sessions::live(&state.db, user, since).await?;
    let mut views: Vec<SessionView> = rows
        .into_iter()
        .map(|row| SessionView {
            this_browser: Some(row.id) == this_row,
            device: user_agent::describe(&row.user_agent),
            ip: row.ip,
            started: utc_minutes(row.started_at),
            last_seen: utc_minutes(row.last_seen_at),
        })
        .collect();
    views.sort_by_key(|v| !v.this_browser);
    Ok(views)
}

/// Ends every other session of the caller; returns the epoch this session
/// continues in (the caller moves its own session there).
pub async fn sign_out_everywhere_else(
    state: &Services,
    caller: &Caller,
    ip: &str,
) -> anyhow::Result<i64> {
    caller.require_writable()?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let epoch = users::bump_session_epoch(&mut *tx, caller.subject.id).await?;
    let action = AuditAction::SessionsSignedOutElsewhere;
    audit::record_change(
        &mut *tx,
        now,
        caller,
        action,
        "every other session ended",
        ip,
    )
    .await?;
    tx.commit()
        .await
        .context("committing sign out everywhere")?;
    Ok(epoch)
}
