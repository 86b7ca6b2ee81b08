//! "View as": a helpdesk agent sees the portal as the person sees it, read-only,
//! for a stated reason and a limited time. Only a person with the plain user role
//! (never an administrator, another agent or oneself), after verifying the caller
//! where policy says so. Starting, every page opened, stopping and expiry are
//! audited; the person is e-mailed and sees the visit in My sign-ins (result code
//! 1008). The web layer keeps the grant in the session and makes every change
//! refuse while it lasts (`Caller::require_writable`, and the router's read-only
//! guard for every state-changing request).

use super::caller_check::caller_is_verified_if_needed;
use super::{HelpRefusal, Outcome, record};
use crate::domain::text::escape_control;
use crate::domain::{AuditAction, FieldError, ResultCode, Role};
use crate::services::caller::{Caller, Helpdesk};
use crate::services::notify::{self, Notice};
use crate::services::portal_settings;
use crate::services::sign_in::EventDraft;
use crate::services::time_format::utc_minutes;
use crate::state::Services;
use crate::store::UserId;
use crate::store::users::{self, UserRow};
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// A view's length unless the agent asks for another.
pub const DEFAULT_VIEW_MINUTES: i64 = 15;

/// A started view, as the session keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewGrant {
    pub subject: i64,
    pub reason: String,
    pub started_at: i64,
    pub until: i64,
}

/// The reason and length an agent typed, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewRequest {
    reason: String,
    minutes: i64,
}

impl ViewRequest {
    /// `max_minutes` is the policy's `impersonation_max_minutes`.
    pub fn parse(reason: &str, minutes: &str, max_minutes: i64) -> Result<ViewRequest, FieldError> {
        let reason = reason.trim();
        let length = reason.chars().count();
        if !(3..=200).contains(&length) || reason.chars().any(char::is_control) {
            return Err(FieldError::new(
                "reason",
                "Say why in 3 to 200 characters, for example the ticket number.",
            ));
        }
        let minutes = match minutes.trim() {
            "" => DEFAULT_VIEW_MINUTES.min(max_minutes),
            typed => typed
                .parse::<i64>()
                .ok()
                .filter(|m| (1..=max_minutes).contains(m))
                .ok_or_else(|| {
                    FieldError::new(
                        "minutes",
                        format!("Enter a number of minutes from 1 to {max_minutes}."),
                    )
                })?,
        };
        Ok(ViewRequest {
            reason: reason.to_owned(),
            minutes,
        })
    }
}

/// Whether `agent` may view `target`'s portal: people with the user role only.
pub fn why_not_viewable(agent: &Helpdesk, target: &UserRow) -> Option<&'static str> {
    if agent.actor.id == target.id {
        Some("This is your own account.")
    } else if target.role != Role::User {
        Some("The portal of administrators and helpdesk agents cannot be viewed.")
    } else {
        None
    }
}

/// Starts a view of `subject`'s portal; the policy's checks, then the audit entry,
/// the person's e-mail and the entry in their sign-ins, together.
pub async fn start(
    state: &Services,
    agent: &Helpdesk,
    subject: UserId,
    reason: &str,
    minutes: &str,
    ip: IpAddr,
) -> Outcome<Result<ViewGrant, FieldError>> {
    let Some(target) = users::find_by_id(&state.db, subject).await? else {
        return Ok(Err(HelpRefusal::NoSuchPerson));
    };
    if why_not_viewable(agent, &target).is_some() {
        return Ok(Err(HelpRefusal::NotForThisPerson));
    }
    let policy = portal_settings::current(state).await?;
    let request = match ViewRequest::parse(reason, minutes, policy.impersonation_max_minutes) {
        Ok(request) => request,
        Err(field) => return Ok(Ok(Err(field))),
    };
    let now = state.clock.now();
    let until = now + request.minutes * 60;
    let reason = escape_control(&request.reason, 200);
    let mut tx = state.db.begin().await?;
    let needed = policy.view_needs_verified_caller;
    if !caller_is_verified_if_needed(&mut *tx, needed, agent, subject, now).await? {
        return Ok(Err(HelpRefusal::CallerNotVerified));
    }
    let detail = format!(
        "reason: {reason}; for {} minutes, until {}",
        request.minutes,
        utc_minutes(until)
    );
    let ip_text = ip.to_string();
    record(
        &mut *tx,
        now,
        agent,
        subject,
        AuditAction::ViewAsStarted,
        &detail,
        &ip_text,
    )
    .await?;
    let body = format!(
        "A helpdesk agent, {}, viewed your MFA Portal account for \u{201c}{reason}\u{201d} at {}. \
         They could see your sign-in methods and sign-ins but change nothing. If you did not \
         call your helpdesk, tell them now.",
        agent.actor.display_name,
        utc_minutes(now)
    );
    let notice = Notice {
        user: subject,
        email: &target.email,
        subject: "A helpdesk agent viewed your account",
        body: &body,
    };
    notify::email_in(&mut *tx, now, notice).await?;
    tx.commit().await.context("committing a helpdesk view")?;
    // Listed in the person's own sign-ins, with the agent as the "app".
    let app = format!("Helpdesk: {}", agent.actor.display_name);
    EventDraft::from_parts(&target.username, ip, "helpdesk view", now)
        .via_helpdesk_view(&app)
        .record(state, Some(subject), ResultCode::ViewedByHelpdesk)
        .await?;
    Ok(Ok(Ok(ViewGrant {
        subject: subject.0,
        reason: request.reason,
        started_at: now,
        until,
    })))
}

/// How a view ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewEnd {
    Stopped,
    Expired,
}

/// Records the end of `viewing` (the agent acting for the person).
pub async fn end(state: &Services, viewing: &Caller, how: ViewEnd, ip: &str) -> anyhow::Result<()> {
    let action = match how {
        ViewEnd::Stopped => AuditAction::ViewAsStopped,
        ViewEnd::Expired => AuditAction::ViewAsExpired,
    };
    let detail = match how {
        ViewEnd::Stopped => "stopped by the agent",
        ViewEnd::Expired => "its time ran out",
    };
    let now = state.clock.now();
    record(
        state.db.pool(),
        now,
        viewing,
        viewing.subject.id,
        action,
        detail,
        ip,
    )
    .await
}

/// Records a page the agent opened while viewing (`path` without the query).
pub async fn page_opened(
    state: &Services,
    viewing: &Caller,
    path: &str,
    ip: &str,
) -> anyhow::Result<()> {
    let detail = escape_control(&format!("opened {path}"), 300);
    let now = state.clock.now();
    record(
        state.db.pool(),
        now,
        viewing,
        viewing.subject.id,
        AuditAction::ViewAsPageOpened,
        &detail,
        ip,
    )
    .await
}

/// The person a live grant is for, if they may still be viewed by `agent`.
pub async fn subject_of(
    state: &Services,
    agent: &Caller,
    grant: &ViewGrant,
) -> anyhow::Result<Option<UserRow>> {
    let Ok(agent) = agent.as_helpdesk() else {
        return Ok(None);
    };
    let target = users::find_by_id(&state.db, UserId(grant.subject)).await?;
    Ok(target.filter(|t| why_not_viewable(&agent, t).is_none()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_needs_a_reason_and_a_length_within_policy() {
        let ok = ViewRequest::parse(" ticket 4711 ", "", 60).unwrap();
        assert_eq!(ok.reason, "ticket 4711");
        assert_eq!(ok.minutes, DEFAULT_VIEW_MINUTES);
        assert_eq!(
            ViewRequest::parse("t", "10", 60).unwrap_err().field,
            "reason"
        );
        assert_eq!(
            ViewRequest::parse("a\nb c", "10", 60).unwrap_err().field,
            "reason"
        );
        assert_eq!(
            ViewRequest::parse("ticket", "61", 60).unwrap_err().field,
            "minutes"
        );
        assert_eq!(
            ViewRequest::parse("ticket", "0", 60).unwrap_err().field,
            "minutes"
        );
        assert_eq!(ViewRequest::parse("ticket", "", 10).unwrap().minutes, 10);
    }
}
