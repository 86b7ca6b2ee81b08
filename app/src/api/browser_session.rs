//! The browser session (tower-sessions, behind the session cookie): the only code
//! that reads or writes it. It holds either a half-finished sign-in
//! ([`PendingSignIn`]) or a signed-in record ([`SignedInRecord`]), never both, and
//! every change of sign-in state moves it under a new id (no fixation).
//!
//! Used by `guard.rs` for server functions and by the axum handlers that a browser
//! calls directly (the CSV export).

use crate::services::caller::{Caller, PendingSignIn, PendingStage};
use crate::services::helpdesk::view_as::{self, ViewEnd, ViewGrant};
use crate::services::sessions::{self, Resolution, SignedInRecord};
use crate::state::Services;
use anyhow::Context;
use tower_sessions::Session;

const AUTH_KEY: &str = "auth";
const PENDING_KEY: &str = "pending";
/// A helpdesk agent's live "view as" ([`ViewGrant`]), beside their own sign-in.
const VIEWING_KEY: &str = "viewing";

/// A new session id (no fixation) and the other sign-in state dropped.
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

/// Stores a signed-in record under a new session id.
pub async fn store_signed_in(session: &Session, record: SignedInRecord) -> anyhow::Result<()> {
    rotate_without(session, PENDING_KEY).await?;
    session
        .insert(AUTH_KEY, record)
        .await
        .context("storing the sign-in in the session")
}

/// After a correct password: remember who is half-way, under a new session id.
pub async fn store_pending(session: &Session, pending: PendingSignIn) -> anyhow::Result<()> {
    rotate_without(session, AUTH_KEY).await?;
    session
        .insert(PENDING_KEY, pending)
        .await
        .context("storing the pending sign-in")
}

/// The pending sign-in of this session at `stage`, if it has not expired.
pub async fn pending(
    state: &Services,
    session: &Session,
    stage: PendingStage,
) -> anyhow::Result<Option<PendingSignIn>> {
    let pending: Option<PendingSignIn> = session
        .get(PENDING_KEY)
        .await
        .context("reading the session")?;
    match pending {
        Some(p) if p.is_live(state.clock.now()) => Ok(Some(p).filter(|p| p.stage == stage)),
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

/// The caller of this session, or `None` when nobody (still) is signed in; an
/// expired or ended session is deleted.
pub async fn current(state: &Services, session: &Session) -> anyhow::Result<Option<Caller>> {
    let Some(mut record) = signed_in_record(session).await? else {
        return Ok(None);
    };
    match sessions::resolve(state, &mut record).await? {
        Resolution::Over => {
            end(session).await?;
            Ok(None)
        }
        Resolution::Live { caller, refreshed } => {
            if refreshed {
                session
                    .insert(AUTH_KEY, record)
                    .await
                    .context("refreshing the session")?;
            }
            let agent = *caller;
            Ok(Some(match viewing_now(state, session, &agent).await? {
                Some(subject) => Caller::acting_for(agent, subject.into()),
                None => agent,
            }))
        }
    }
}

/// The person this session views, if a view is live; a view whose time ran out
/// (by the portal's clock) is recorded as expired and dropped under a new id.
async fn viewing_now(
    state: &Services,
    session: &Session,
    agent: &Caller,
) -> anyhow::Result<Option<crate::store::users::UserRow>> {
    let Some(grant) = viewing_grant(session).await? else {
        return Ok(None);
    };
    let subject = view_as::subject_of(state, agent, &grant).await?;
    let live = grant.until > state.clock.now();
    match subject {
        Some(subject) if live => Ok(Some(subject)),
        Some(subject) => {
            let viewing = Caller::acting_for(agent.clone(), subject.into());
            view_as::end(state, &viewing, ViewEnd::Expired, "-").await?;
            stop_viewing(session).await?;
            Ok(None)
        }
        None => {
            stop_viewing(session).await?;
            Ok(None)
        }
    }
}

/// The view this session holds, live or not.
pub async fn viewing_grant(session: &Session) -> anyhow::Result<Option<ViewGrant>> {
    session
        .get(VIEWING_KEY)
        .await
        .context("reading the session")
}

/// Starts viewing someone's portal, under a new session id.
pub async fn start_viewing(session: &Session, grant: ViewGrant) -> anyhow::Result<()> {
    session
        .cycle_id()
        .await
        .context("rotating the session id")?;
    session
        .insert(VIEWING_KEY, grant)
        .await
        .context("storing the view in the session")
}

/// Back to the agent's own account, under a new session id.
pub async fn stop_viewing(session: &Session) -> anyhow::Result<()> {
    session
        .cycle_id()
        .await
        .context("rotating the session id")?;
    session
        .remove_value(VIEWING_KEY)
        .await
        .context("dropping the view from the session")?;
    Ok(())
}

async fn signed_in_record(session: &Session) -> anyhow::Result<Option<SignedInRecord>> {
    session.get(AUTH_KEY).await.context("reading the session")
}

/// Records a fresh second factor (step-up) and rotates the session id.
pub async fn mark_verified(session: &Session, now: i64) -> anyhow::Result<()> {
    let Some(mut record) = signed_in_record(session).await? else {
        return Ok(());
    };
    record.verified_at = Some(now);
    store_signed_in(session, record).await
}

/// Moves this session into a new epoch after the user's other sessions were
/// ended, under a new id.
pub async fn continue_in_epoch(
    state: &Services,
    session: &Session,
    epoch: i64,
) -> anyhow::Result<()> {
    let Some(mut record) = signed_in_record(session).await? else {
        return Ok(());
    };
    sessions::move_to_epoch(state, &mut record, epoch).await?;
    store_signed_in(session, record).await
}

/// Signing out: the session is deleted and no longer listed where the person is
/// signed in.
pub async fn sign_out(state: &Services, session: &Session) -> anyhow::Result<()> {
    if let Some(caller) = current(state, session).await?
        && caller.is_acting_for_someone()
    {
        view_as::end(state, &caller, ViewEnd::Stopped, "-").await?;
    }
    if let Some(record) = signed_in_record(session).await? {
        sessions::close(state, &record).await?;
    }
    end(session).await
}

/// Deletes the session on the server; its cookie is worthless afterwards.
async fn end(session: &Session) -> anyhow::Result<()> {
    session.flush().await.context("deleting the session")
}
