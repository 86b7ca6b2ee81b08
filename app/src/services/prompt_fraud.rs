//! A prompt the person says they did not ask for (0# on a call, "Deny and report
//! fraud" in the app): the fraud report, its audit entry, the admins' alert and the
//! person's own notice land in one transaction. The open report then blocks further
//! texts, calls and app notifications (`fraud::prompts_blocked`).

use super::audit::{self, Actor, AuditRecord};
use super::fraud::{alert_recipients, owner_notice_body, queue_alerts};
use super::time_format::utc_minutes;
use crate::domain::AuditAction;
use crate::state::Services;
use crate::store::fraud_reports::{self, NewFraudReport, ReportSource};
use crate::store::outbox::{self, NewMessage, OutboxChannel};
use crate::store::{UserId, users};
use anyhow::Context;

/// The reported prompt, in the words the e-mails use.
pub struct ReportedPrompt<'a> {
    pub user: UserId,
    pub source: ReportSource,
    /// The challenge's id, as the report refers to it.
    pub challenge_ref: String,
    /// For the admins' subject: "pressed 0# on a sign-in call".
    pub what: &'a str,
    /// For the admins' body: "was called to approve a sign-in and pressed 0#".
    pub how: &'a str,
    /// For the person: "You were called to approve a sign-in to your … account".
    pub owner_what: &'a str,
    /// The person's e-mail subject.
    pub owner_subject: &'a str,
    /// The audit entry's actor ("phone call", "authenticator app").
    pub via: &'static str,
    pub started_at: i64,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

/// Records the report and queues both e-mails, together.
pub async fn record(state: &Services, prompt: &ReportedPrompt<'_>) -> anyhow::Result<()> {
    let now = state.clock.now();
    let owner = users::find_by_id(&state.db, prompt.user).await?;
    let recipients = alert_recipients(state).await?;
    let block_hours = super::portal_settings::current(state)
        .await?
        .fraud_block_hours;
    let mut tx = state.db.begin().await.context("starting a fraud report")?;
    let report = NewFraudReport {
        user: prompt.user,
        source: prompt.source,
        sign_in_event_id: None,
        challenge_id: Some(&prompt.challenge_ref),
        reported_at: now,
        ip: prompt.ip,
    };
    let report_id = fraud_reports::insert(&mut *tx, report).await?;
    let detail = format!(
        "{} for challenge {}; report {}",
        prompt.what,
        prompt.challenge_ref,
        report_id.unwrap_or_default()
    );
    let record = AuditRecord {
        actor: &Actor::System(prompt.via),
        subject: Some(prompt.user),
        action: AuditAction::FraudReported,
        detail: &detail,
        ip: Some(prompt.ip),
    };
    audit::record(&mut *tx, now, record).await?;
    if let Some(owner) = &owner {
        let subject = format!("Fraud report: {} {}", owner.username, prompt.what);
        let body = alert_body(state, owner, prompt, now);
        queue_alerts(&mut tx, &recipients, &subject, &body, now).await?;
        if !owner.email.is_empty() {
            let body = owner_notice_body(
                state,
                block_hours,
                &owner.display_name,
                prompt.owner_what,
                now,
            );
            let message = NewMessage {
                channel: OutboxChannel::Email,
                user: Some(prompt.user),
                recipient: &owner.email,
                subject: prompt.owner_subject,
                body: &body,
                sealed: false,
                now,
            };
            outbox::enqueue(&mut *tx, message).await?;
        }
    }
    tx.commit().await.context("committing a fraud report")?;
    tracing::warn!(
        user_id = prompt.user.0,
        challenge = %prompt.challenge_ref,
        via = prompt.via,
        "fraud reported on a prompt"
    );
    Ok(())
}

/// What the admins read: who, when, from where. Holds no secret.
fn alert_body(
    state: &Services,
    owner: &users::UserRow,
    prompt: &ReportedPrompt<'_>,
    now: i64,
) -> String {
    format!(
        "{name} ({username}) {how}: they did not ask for it.\n\n\
         - Reported: {reported}\n\
         - The sign-in was started: {started} from {ip}\n\
         - Browser: {device}\n\n\
         The sign-in was denied. Further texts, calls and app notifications to this person are blocked until the report is resolved.\n\
         Someone may know their password: consider a password reset.\n\n{portal}\n",
        name = owner.display_name,
        username = owner.username,
        how = prompt.how,
        reported = utc_minutes(now),
        started = utc_minutes(prompt.started_at),
        ip = prompt.ip,
        device = super::user_agent::describe(prompt.user_agent),
        portal = state.policy.portal_url,
    )
}
