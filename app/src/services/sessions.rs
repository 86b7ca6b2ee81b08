//! Where a person is signed in, and "sign out everywhere else": every other session
//! of theirs ends at once (the session epoch moves on), this one continues.

use super::audit::{self, AuditRecord};
use super::caller::{Caller, LAST_SEEN_GRANULARITY_SECS};
use super::time_format::utc_minutes;
use super::user_agent;
use crate::domain::views::SessionView;
use crate::state::AppState;
use crate::store::user_sessions::{self, LiveSince};
use crate::store::users;
use anyhow::Context;

/// The caller's live sessions, this one first.
pub async fn where_signed_in(
    state: &AppState,
    caller: &Caller,
) -> anyhow::Result<Vec<SessionView>> {
    let now = state.clock.now();
    let since = LiveSince {
        epoch: caller.session_epoch,
        // Rows are refreshed at most every 30 s, so allow for that lag.
        seen_after: now - state.policy.session_idle_secs - LAST_SEEN_GRANULARITY_SECS,
        started_after: now - state.policy.session_absolute_secs,
    };
    let rows = user_sessions::live(&state.db, caller.user_id, since).await?;
    let mut views: Vec<SessionView> = rows
        .into_iter()
        .map(|row| SessionView {
            this_browser: Some(row.id) == caller.session_row,
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
    state: &AppState,
    caller: &Caller,
    ip: &str,
) -> anyhow::Result<i64> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let epoch = users::bump_session_epoch(&mut *tx, caller.user_id).await?;
    let actor = caller.actor();
    let record = AuditRecord {
        actor: &actor,
        subject: Some(caller.user_id),
        action: "sessions.signed_out_elsewhere",
        detail: "every other session ended",
        ip: Some(ip),
    };
    audit::record(&mut *tx, now, record).await?;
    tx.commit()
        .await
        .context("committing sign out everywhere")?;
    Ok(epoch)
}
