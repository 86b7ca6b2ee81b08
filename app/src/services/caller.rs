//! Who is calling: the signed-in user behind a browser session, with the session's
//! idle and absolute timeouts checked against the injected clock.

use super::sign_in::SignedIn;
use crate::domain::Role;
use crate::state::AppState;
use crate::store::UserId;
use crate::store::users;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

const AUTH_KEY: &str = "auth";
/// Refresh `last_seen_at` at most this often, so reading a page rarely writes.
const LAST_SEEN_GRANULARITY_SECS: i64 = 30;

/// What the session remembers about a sign-in. Holds no secret.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct AuthRecord {
    user_id: i64,
    signed_in_at: i64,
    last_seen_at: i64,
    sign_in_event_id: i64,
}

/// A signed-in user, loaded fresh from the database on each request so a role
/// change or block takes effect at once.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub sign_in_event_id: i64,
}

/// Starts an authenticated session under a new id (no fixation).
pub async fn start_session(session: &Session, signed_in: SignedIn, now: i64) -> anyhow::Result<()> {
    session
        .cycle_id()
        .await
        .context("rotating the session id")?;
    let record = AuthRecord {
        user_id: signed_in.user_id.0,
        signed_in_at: now,
        last_seen_at: now,
        sign_in_event_id: signed_in.event_id,
    };
    session
        .insert(AUTH_KEY, record)
        .await
        .context("storing the sign-in in the session")
}

/// Deletes the session on the server; its cookie is worthless afterwards.
pub async fn end_session(session: &Session) -> anyhow::Result<()> {
    session.flush().await.context("deleting the session")
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
    let Some(user) = user.filter(|u| u.blocked_at.is_none()) else {
        end_session(session).await?;
        return Ok(None);
    };
    if now - record.last_seen_at >= LAST_SEEN_GRANULARITY_SECS {
        record.last_seen_at = now;
        session
            .insert(AUTH_KEY, record.clone())
            .await
            .context("refreshing the session")?;
    }
    Ok(Some(Caller {
        user_id: user.id,
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        sign_in_event_id: record.sign_in_event_id,
    }))
}
