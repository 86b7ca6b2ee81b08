//! Verifying the person on the phone: the agent types the code the caller reads
//! from their authenticator app or OATH token (a code sent to their phone:
//! `caller_phone_check`). The code is checked by the sign-in
//! rules (`authenticator::check_code`: the window, and the time step or HOTP
//! counter claimed in one statement, so a code used here cannot sign anyone in and
//! a code used to sign in cannot verify a caller). Attempts are counted per person
//! in one statement before the check. Every attempt is recorded with its result
//! code and audited; a success lets this agent act for this person for ten minutes.

use super::{HelpRefusal, Outcome, helpable, record};
use crate::domain::{AuditAction, MethodKind, OtpCode, ResultCode};
use crate::services::authenticator::{self, CodeCheck, Purpose};
use crate::services::caller::Helpdesk;
use crate::services::time_format::utc_minutes;
use crate::state::Services;
use crate::store::caller_verifications::{self, NewVerification};
use crate::store::rate_limits::{self, Hit};
use crate::store::{MethodId, UserId, methods};
use anyhow::Context;

/// How long a verified caller stays verified.
pub const CALLER_VERIFICATION_SECS: i64 = 10 * 60;
/// Attempts to verify one person, by any agent, per window: enough for a caller
/// who misreads a code, too few to guess one.
const CHECKS_PER_WINDOW: i64 = 5;
const CHECK_WINDOW_SECS: i64 = 15 * 60;

/// What one attempt found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckOutcome {
    Verified {
        until: i64,
    },
    /// The code did not verify the caller: its result code says why.
    NotVerified(ResultCode),
}

/// Checks the code the caller read from their app or token `method`.
pub async fn verify_by_code(
    state: &Services,
    agent: &Helpdesk,
    subject: UserId,
    method: MethodId,
    code: &OtpCode,
    ip: &str,
) -> Outcome<CheckOutcome> {
    if let Err(refusal) = helpable(state, agent, subject).await? {
        return Ok(Err(refusal));
    }
    let Some(method_row) = methods::list_active(&state.db, subject)
        .await?
        .into_iter()
        .find(|m| m.id == method && m.kind == MethodKind::Totp)
    else {
        return Ok(Err(HelpRefusal::NoSuchMethod));
    };
    let now = state.clock.now();
    // Counted and judged in one statement, before the code is looked at.
    if !claim_check(state, subject, now).await? {
        return Ok(Err(HelpRefusal::TooManyChecks));
    }
    let checked = authenticator::check_code(state, subject, method, code, Purpose::Verify).await?;
    let result = match checked {
        CodeCheck::Accepted => ResultCode::OATHCodeVerified,
        CodeCheck::Incorrect => ResultCode::OATHCodeIncorrect,
        CodeCheck::AlreadyUsed => ResultCode::DuplicateOATHCode,
        CodeCheck::OutOfDate => ResultCode::OATHCodeOutOfDate,
        CodeCheck::NotFound | CodeCheck::Expired => return Ok(Err(HelpRefusal::NoSuchMethod)),
    };
    let check = Check {
        subject,
        way: "app_code",
        method_label: &method_row.name,
        verified: checked == CodeCheck::Accepted,
        result,
        ip,
    };
    conclude(state, agent, check).await.map(Ok)
}

/// Claims one of the person's verification attempts (any agent, any way): counted
/// and refused in one statement. The person's lockout is not used: a locked-out
/// person is exactly who calls.
pub(super) async fn claim_check(
    state: &Services,
    subject: UserId,
    now: i64,
) -> anyhow::Result<bool> {
    rate_limits::hit(
        state.db.pool(),
        Hit {
            bucket: &format!("caller_check:user:{}", subject.0),
            limit: CHECKS_PER_WINDOW,
            window_secs: CHECK_WINDOW_SECS,
            now,
        },
    )
    .await
}

/// One finished attempt to verify a caller, as recorded.
pub(super) struct Check<'a> {
    pub(super) subject: UserId,
    /// `app_code`, `text_code` or `call_code`.
    pub(super) way: &'a str,
    pub(super) method_label: &'a str,
    pub(super) verified: bool,
    pub(super) result: ResultCode,
    pub(super) ip: &'a str,
}

/// Records the attempt and its audit entry together; a success lets this agent act
/// for this person for ten minutes.
pub(super) async fn conclude(
    state: &Services,
    agent: &Helpdesk,
    check: Check<'_>,
) -> anyhow::Result<CheckOutcome> {
    let Check {
        subject,
        way,
        method_label,
        verified,
        result,
        ip,
    } = check;
    let now = state.clock.now();
    let valid_until = verified.then_some(now + CALLER_VERIFICATION_SECS);
    let how = how_verified(way, method_label);
    let mut tx = state.db.begin().await?;
    caller_verifications::insert(
        &mut *tx,
        NewVerification {
            agent: agent.actor.id,
            subject,
            way,
            method_label,
            verified,
            result_code: result.code(),
            now,
            valid_until,
        },
    )
    .await?;
    let (action, detail) = match valid_until {
        Some(until) => (
            AuditAction::CallerVerified,
            format!(
                "verified by {how} ({} {}), valid until {}",
                result.code(),
                result.description(),
                utc_minutes(until)
            ),
        ),
        None => (
            AuditAction::CallerNotVerified,
            format!(
                "not verified by {how}: {} {}",
                result.code(),
                result.description()
            ),
        ),
    };
    record(&mut *tx, now, agent, subject, action, &detail, ip).await?;
    tx.commit().await.context("committing a caller check")?;
    Ok(match valid_until {
        Some(until) => CheckOutcome::Verified { until },
        None => CheckOutcome::NotVerified(result),
    })
}

/// "a code from “Work phone”", "a text to “Mobile phone”": how a check was made.
pub fn how_verified(way: &str, method_label: &str) -> String {
    match way {
        "text_code" => format!("a text to \u{201c}{method_label}\u{201d}"),
        "call_code" => format!("a call to \u{201c}{method_label}\u{201d}"),
        _ => format!("a code from \u{201c}{method_label}\u{201d}"),
    }
}

/// Whether policy lets the action go ahead for this agent and person now: either
/// the policy does not ask for a verified caller, or this agent verified this
/// person within the last ten minutes.
pub(super) async fn caller_is_verified_if_needed<'e>(
    exec: impl crate::store::Exec<'e>,
    needed: bool,
    agent: &Helpdesk,
    subject: UserId,
    now: i64,
) -> anyhow::Result<bool> {
    if !needed {
        return Ok(true);
    }
    Ok(
        caller_verifications::live(exec, agent.actor.id, subject, now)
            .await?
            .is_some(),
    )
}
