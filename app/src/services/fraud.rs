//! "This wasn't me": a fraud report about one of the caller's sign-in events, an
//! alert to the administrators, and the optional "secure my account" step.

use super::audit;
use super::caller::Caller;
use super::notify::{self, Notice};
use super::password_change::{self, ChangeRefusal};
use super::sign_in_history;
use super::time_format::utc_minutes;
use crate::domain::AuditAction;
use crate::domain::history::{FraudReportView, HistoryRowView, SecuredView};
use crate::state::Services;
use crate::store::fraud_reports::{self, NewFraudReport, ReportSource};
use crate::store::outbox::OutboxChannel;
use crate::store::outbox::{self, NewMessage};
use crate::store::users;
use anyhow::Context;
use secrecy::SecretString;
use std::net::IpAddr;

/// Records that the caller did not make sign-in `event_id` and alerts the admins.
/// Reporting the same event again returns the first report. `None` when the event
/// is not the caller's.
pub async fn report_sign_in(
    state: &Services,
    caller: &Caller,
    event_id: i64,
    ip: IpAddr,
) -> anyhow::Result<Option<FraudReportView>> {
    caller.require_writable()?;
    let Some(event) = sign_in_history::event(state, caller, event_id).await? else {
        return Ok(None);
    };
    let now = state.clock.now();
    let ip = ip.to_string();
    let recipients = alert_recipients(state).await?;
    let mut tx = state.db.begin().await.context("starting a fraud report")?;
    let report = NewFraudReport {
        user: caller.subject.id,
        source: ReportSource::History,
        sign_in_event_id: Some(event_id),
        challenge_id: None,
        reported_at: now,
        ip: &ip,
    };
    let Some(report_id) = fraud_reports::insert(&mut *tx, report).await? else {
        tx.rollback().await.context("ending a repeated report")?;
        let existing = fraud_reports::for_event(&state.db, caller.subject.id, event_id)
            .await?
            .context("a reported event without its report")?;
        return Ok(Some(FraudReportView {
            report_id: existing.id,
            secured: existing.secured_at.is_some(),
        }));
    };
    let detail = format!("report {report_id} about sign-in event {event_id}");
    audit::record_change(
        &mut *tx,
        now,
        caller,
        AuditAction::FraudReported,
        &detail,
        &ip,
    )
    .await?;
    let subject = format!(
        "Fraud report: {} did not make a sign-in",
        caller.subject.username
    );
    let body = alert_body(state, caller, &event, now, &ip);
    queue_alerts(&mut tx, &recipients, &subject, &body, now).await?;
    tx.commit().await.context("committing a fraud report")?;
    tracing::warn!(
        user_id = caller.subject.id.0,
        report_id,
        event_id,
        alerted = recipients.len(),
        "fraud reported"
    );
    Ok(Some(FraudReportView {
        report_id,
        secured: false,
    }))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecureRefusal {
    ReportNotFound,
    Password(ChangeRefusal),
}

/// After a report: a new password, every other session ended, every remembered
/// browser and app password revoked — all in one transaction, so a failure leaves
/// nothing half done. Returns what was revoked and the session epoch the caller's
/// own session continues in.
pub async fn secure_account(
    state: &Services,
    caller: &Caller,
    report_id: i64,
    current: SecretString,
    new: SecretString,
    ip: IpAddr,
) -> anyhow::Result<Result<(SecuredView, i64), SecureRefusal>> {
    caller.require_writable()?;
    if fraud_reports::find(&state.db, caller.subject.id, report_id)
        .await?
        .is_none()
    {
        return Ok(Err(SecureRefusal::ReportNotFound));
    }
    let password = match password_change::check(state, caller, current, new, ip).await? {
        Ok(password) => password,
        Err(refusal) => return Ok(Err(SecureRefusal::Password(refusal))),
    };
    let now = state.clock.now();
    let ip = ip.to_string();
    let mut tx = state
        .db
        .begin()
        .await
        .context("starting to secure an account")?;
    let revoked = password_change::replace(&mut tx, caller.subject.id, password, now).await?;
    let epoch = revoked.session_epoch;
    fraud_reports::mark_secured(&mut *tx, report_id, now).await?;
    let detail = format!(
        "after report {report_id}: password changed, other sessions ended, {} remembered browsers forgotten, {} app passwords revoked",
        revoked.browsers, revoked.app_passwords
    );
    audit::record_change(
        &mut *tx,
        now,
        caller,
        AuditAction::AccountSecured,
        &detail,
        &ip,
    )
    .await?;
    let notice = Notice {
        user: caller.subject.id,
        email: &caller.subject.email,
        subject: "Your account was secured",
        body: "You reported a sign-in you did not make and secured your MFA Portal account: the password was changed, every other session was signed out, and remembered browsers and app passwords were revoked. Your administrators have been told.",
    };
    notify::email_in(&mut *tx, now, notice).await?;
    tx.commit()
        .await
        .context("committing the secured account")?;
    let view = SecuredView {
        browsers_forgotten: revoked.browsers,
        app_passwords_revoked: revoked.app_passwords,
    };
    Ok(Ok((view, epoch)))
}

/// Whether texts, calls and pushes to the person are blocked: an open report from
/// a prompt, younger than `fraud_block_hours` (0: until an admin resolves it).
pub async fn prompts_blocked(state: &Services, user: crate::store::UserId) -> anyhow::Result<bool> {
    let block_hours = super::portal_settings::current(state)
        .await?
        .fraud_block_hours;
    let since = match block_hours * 3600 {
        0 => i64::MIN,
        secs => state.clock.now() - secs,
    };
    fraud_reports::prompt_block_in_force(&state.db, user, since).await
}

/// The person's own e-mail after they reported a prompt: what happened, what is
/// blocked, and how to secure the account.
/// `block_hours` is the policy's `fraud_block_hours`.
pub fn owner_notice_body(
    state: &Services,
    block_hours: i64,
    display_name: &str,
    what: &str,
    now: i64,
) -> String {
    let blocked_until = match block_hours {
        0 => "until your administrator has looked at the report".to_owned(),
        hours => format!(
            "until {} or until your administrator has looked at the report",
            utc_minutes(now + hours * 3600)
        ),
    };
    format!(
        "Hello {display_name},\n\n{what} at {at}, and you reported it as fraud. The sign-in was \
         denied and your administrators were told. Texts, calls and app notifications to you \
         are blocked {blocked_until}.\n\nSomeone who asked for that sign-in knows your password. \
         Secure your account now: sign in, open Security info and change your password \
         (that also signs out every other session).\n\n{portal}/security\n",
        at = utc_minutes(now),
        portal = state.policy.portal_url.trim_end_matches('/'),
    )
}

/// The configured alert addresses, or every active administrator when none are set.
pub(super) async fn alert_recipients(state: &Services) -> anyhow::Result<Vec<String>> {
    let configured = super::portal_settings::current(state)
        .await?
        .fraud_alert_addresses;
    if !configured.is_empty() {
        return Ok(configured);
    }
    users::admin_emails(&state.db).await
}

/// What the admins read. Holds no secret: the event's words, times and addresses.
fn alert_body(
    state: &Services,
    caller: &Caller,
    event: &HistoryRowView,
    now: i64,
    ip: &str,
) -> String {
    format!(
        "{name} ({username}) reported a sign-in they did not make.\n\n\
         Reported: {reported} from {ip}\n\n\
         The sign-in they reported:\n\
         - When: {when}\n\
         - Result: {result} ({detail})\n\
         - Method: {method}\n\
         - App: {app}\n\
         - From: {event_ip}, {device}\n\n\
         Open fraud reports: {portal}/admin\n",
        name = caller.subject.display_name,
        username = caller.subject.username,
        reported = utc_minutes(now),
        when = event.when,
        result = event.result,
        detail = event.result_detail,
        method = event.method,
        app = event.app,
        event_ip = event.ip,
        device = event.device,
        portal = state.policy.portal_url.trim_end_matches('/'),
    )
}

/// One alert e-mail per recipient, on the caller's transaction.
pub(super) async fn queue_alerts(
    conn: &mut sqlx::AnyConnection,
    recipients: &[String],
    subject: &str,
    body: &str,
    now: i64,
) -> anyhow::Result<()> {
    for recipient in recipients {
        let message = NewMessage {
            channel: OutboxChannel::Email,
            user: None,
            recipient,
            subject,
            body,
            sealed: false,
            now,
        };
        outbox::enqueue(&mut *conn, message).await?;
    }
    Ok(())
}
