//! Checking a code from a registered method: at the second step of sign-in and when
//! confirming identity before a change. Failures count toward the same lockout as
//! passwords; every attempt is a sign-in event with its seed result code.

use super::authenticator::{self, CodeCheck, Purpose};
use super::lockout;
use super::portal_settings;
use super::sign_in::EventDraft;
use crate::domain::{OtpCode, ResultCode, SignInMethod};
use crate::state::Services;
use crate::store::{MethodId, UserId, methods, users};
use std::net::IpAddr;

pub struct CodeAttempt {
    pub method_id: MethodId,
    pub code: OtpCode,
    pub ip: IpAddr,
    pub user_agent: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeRefusal {
    Incorrect,
    AlreadyUsed,
    OutOfDate,
    Locked {
        until: i64,
    },
    UnknownMethod,
    /// Policy no longer allows codes from apps.
    NotAllowed,
}

/// Verifies the code; on success returns the id of the sign-in event recorded.
pub async fn verify(
    state: &Services,
    user_id: UserId,
    attempt: CodeAttempt,
) -> anyhow::Result<Result<i64, CodeRefusal>> {
    let Some(user) = users::find_by_id(&state.db, user_id).await? else {
        return Ok(Err(CodeRefusal::UnknownMethod));
    };
    // Policy may have changed since the second step was offered.
    if !portal_settings::current(state)
        .await?
        .allows(SignInMethod::AppCode)
    {
        return Ok(Err(CodeRefusal::NotAllowed));
    }
    let now = state.clock.now();
    let event = EventDraft::from_parts(&user.username, attempt.ip, &attempt.user_agent, now);
    let claim = match lockout::claim(state, user.id).await? {
        Ok(claim) => claim,
        Err(until) => {
            event
                .record(state, Some(user.id), ResultCode::AccountLocked)
                .await?;
            return Ok(Err(CodeRefusal::Locked { until }));
        }
    };
    let check = authenticator::check_code(
        state,
        user.id,
        attempt.method_id,
        &attempt.code,
        Purpose::Verify,
    )
    .await?;
    let (code, refusal) = match check {
        CodeCheck::Accepted => {
            claim.succeeded(state).await?;
            methods::touch(&state.db, user.id, attempt.method_id, now).await?;
            let event_id = event
                .record(state, Some(user.id), ResultCode::OATHCodeVerified)
                .await?;
            return Ok(Ok(event_id));
        }
        CodeCheck::NotFound | CodeCheck::Expired => {
            claim.handed_back(state).await?;
            return Ok(Err(CodeRefusal::UnknownMethod));
        }
        CodeCheck::Incorrect => (ResultCode::OATHCodeIncorrect, CodeRefusal::Incorrect),
        CodeCheck::AlreadyUsed => (ResultCode::DuplicateOATHCode, CodeRefusal::AlreadyUsed),
        CodeCheck::OutOfDate => (ResultCode::OATHCodeOutOfDate, CodeRefusal::OutOfDate),
    };
    claim.failed(state, attempt.ip).await?;
    event.record(state, Some(user.id), code).await?;
    Ok(Err(refusal))
}
