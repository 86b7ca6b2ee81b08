//! The admins' fraud queue: open reports with their context, and the decision on
//! each. Confirm keeps prompts blocked for the policy's time and may also require
//! re-registration and reset the password; dismiss lifts the block. The decision is
//! taken once, audited, and the person is e-mailed the outcome.

use super::admin_actions::{self, Refusal};
use super::audit::{self, AuditRecord};
use super::caller::{Admin, Verified};
use super::notify::{self, Notice};
use super::time_format::utc_minutes;
use crate::domain::fraud_queue::{FraudQueueView, ReportView};
use crate::domain::{AuditAction, FieldError, ResultCode};
use crate::state::Services;
use crate::store::fraud_queue::{self, QueueRow, ReportOutcome};
use crate::store::fraud_reports::ReportSource;
use crate::store::users;
use anyhow::Context;
use secrecy::SecretString;

const QUEUE_LENGTH: i64 = 100;

fn view(row: QueueRow) -> ReportView {
    let how = match row.source {
        ReportSource::Call => "A call (0# pressed)",
        ReportSource::Push => "An app notification",
        ReportSource::History => "My sign-ins (\u{201c}this wasn't me\u{201d})",
    };
    let sign_in = row.event_at.map(|at| {
        let result = row
            .event_result
            .and_then(ResultCode::from_code)
            .map_or("", ResultCode::plain_words);
        format!(
            "{} UTC from {}, {}, {} ({})",
            utc_minutes(at),
            row.event_ip.unwrap_or_default(),
            row.event_app.unwrap_or_default(),
            row.event_user_agent.unwrap_or_default(),
            result
        )
    });
    ReportView {
        id: row.id,
        person_id: row.user_id,
        person: row.display_name,
        username: row.username,
        reported: utc_minutes(row.reported_at),
        how: how.to_owned(),
        reported_from: row.ip,
        sign_in,
        notes: row.notes,
    }
}

pub async fn queue(state: &Services, _admin: &Admin) -> anyhow::Result<FraudQueueView> {
    let (open, confirmed) = fraud_queue::waiting(&state.db, QUEUE_LENGTH).await?;
    Ok(FraudQueueView {
        open: open.into_iter().map(view).collect(),
        confirmed: confirmed.into_iter().map(view).collect(),
    })
}

/// An admin's decision as typed: confirm (with what else to do) or dismiss, and a
/// note for the log.
pub struct Decision {
    outcome: ReportOutcome,
    require_reregistration: bool,
    reset_password: bool,
    notes: String,
}

impl Decision {
    pub fn parse(
        decision: &str,
        require_reregistration: bool,
        reset_password: bool,
        notes: &str,
    ) -> Result<Decision, FieldError> {
        let outcome = match decision {
            "confirm" => ReportOutcome::Confirmed,
            "dismiss" => ReportOutcome::Dismissed,
            _ => return Err(FieldError::new("decision", "Choose confirm or dismiss.")),
        };
        if outcome == ReportOutcome::Dismissed && (require_reregistration || reset_password) {
            return Err(FieldError::new(
                "decision",
                "Re-registration and a password reset go with confirming, not dismissing.",
            ));
        }
        let notes = notes.trim();
        if notes.chars().count() > 1000 || notes.chars().any(|c| c.is_control() && c != '\n') {
            return Err(FieldError::new(
                "notes",
                "Keep the note under 1000 characters.",
            ));
        }
        Ok(Decision {
            outcome,
            require_reregistration,
            reset_password,
            notes: notes.to_owned(),
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecisionRefusal {
    /// No such report, or it was decided already.
    NotWaiting,
}

/// Decides report `id` once; returns the temporary password when one was set.
pub async fn decide(
    state: &Services,
    admin: &Verified<Admin>,
    id: i64,
    decision: Decision,
    ip: &str,
) -> anyhow::Result<Result<Option<SecretString>, DecisionRefusal>> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let decided = fraud_queue::decide(
        &mut *tx,
        id,
        decision.outcome,
        &decision.notes,
        admin.actor.id,
        now,
    )
    .await?;
    let Some(user) = decided else {
        return Ok(Err(DecisionRefusal::NotWaiting));
    };
    let (action, words) = match decision.outcome {
        ReportOutcome::Confirmed => (AuditAction::FraudConfirmed, "confirmed as fraud"),
        ReportOutcome::Dismissed => (
            AuditAction::FraudDismissed,
            "dismissed; prompts no longer blocked",
        ),
    };
    let detail = if decision.notes.is_empty() {
        format!("report {id} {words}")
    } else {
        format!("report {id} {words}: {}", decision.notes)
    };
    let actor = admin.audit_actor();
    let record = AuditRecord {
        actor: &actor,
        subject: Some(user),
        action,
        detail: &detail,
        ip: Some(ip),
    };
    audit::record(&mut *tx, now, record).await?;
    if let Some(person) = users::find_by_id(&state.db, user).await? {
        let body = match decision.outcome {
            ReportOutcome::Confirmed => {
                "Your administrators looked at the sign-in you reported and agree it was not you. Texts, calls and app notifications to you stay blocked for a while. Change your password if you have not yet; your administrators may also ask you to set up your sign-in methods again."
            }
            ReportOutcome::Dismissed => {
                "Your administrators looked at the sign-in you reported and closed the report. Texts, calls and app notifications reach you again. If you still think someone else tried to sign in, contact your helpdesk."
            }
        };
        let notice = Notice {
            user,
            email: &person.email,
            subject: "Your fraud report was looked at",
            body,
        };
        notify::email_in(&mut *tx, now, notice).await?;
    }
    tx.commit().await.context("committing a fraud decision")?;
    if decision.require_reregistration {
        refused_means_gone(admin_actions::require_reregistration(state, admin, user, ip).await?)?;
    }
    if decision.reset_password {
        let temporary = admin_actions::reset_password(state, admin, user, ip).await?;
        return Ok(Ok(Some(refused_means_gone(temporary)?)));
    }
    Ok(Ok(None))
}

/// The person of a report just decided cannot be missing: their row cascades it.
fn refused_means_gone<T>(outcome: Result<T, Refusal>) -> anyhow::Result<T> {
    outcome.map_err(|refusal| anyhow::anyhow!("a reported person vanished meanwhile: {refusal:?}"))
}

#[cfg(test)]
mod tests {
    use super::Decision;

    #[test]
    fn a_decision_is_confirm_or_dismiss_and_extras_go_with_confirming() {
        assert!(Decision::parse("confirm", true, true, "ticket 7").is_ok());
        assert!(Decision::parse("dismiss", false, false, "").is_ok());
        assert_eq!(
            Decision::parse("maybe", false, false, "")
                .err()
                .unwrap()
                .field,
            "decision"
        );
        assert_eq!(
            Decision::parse("dismiss", true, false, "")
                .err()
                .unwrap()
                .field,
            "decision"
        );
        let long = "n".repeat(1001);
        assert_eq!(
            Decision::parse("confirm", false, false, &long)
                .err()
                .unwrap()
                .field,
            "notes"
        );
    }
}
