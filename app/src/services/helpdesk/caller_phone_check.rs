//! Verifying the person on the phone by a code sent to one of their phones: a text,
//! or a call that reads the code out; the caller reads it back to the agent. The
//! challenge has its own purpose (`ChallengePurpose::Helpdesk`) and is bound to the
//! agent's own sign-in, so only that agent can check it and it never signs anyone
//! in. Sending obeys what sign-in texts obey (allowed methods, fraud block, the
//! hourly limits per number, person, address and country); checking claims one of
//! the challenge's five tries and one of the person's verification attempts, each
//! in one statement, before the code is compared.

use super::caller_check::{Check, CheckOutcome, claim_check, conclude};
use super::{HelpRefusal, Outcome, helpable, record};
use crate::domain::views::PhoneChallengeView;
use crate::domain::{AuditAction, OtpCode, PhoneChannel, ResultCode};
use crate::services::caller::Helpdesk;
use crate::services::phones::{self, ChallengePurpose, PhoneRefusal, Requester};
use crate::state::Services;
use crate::store::phones as phones_store;
use crate::store::{MethodId, UserId};
use std::net::IpAddr;

/// Where the agent's request comes from.
pub struct AgentRequest<'a> {
    pub ip: IpAddr,
    pub user_agent: &'a str,
}

fn requester(agent: &Helpdesk, subject: UserId, request: &AgentRequest<'_>) -> Requester {
    Requester {
        user: subject,
        bound_event_id: agent.sign_in_event_id,
        ip: request.ip,
        user_agent: request.user_agent.to_owned(),
    }
}

/// Sends a code to the person's phone `method` by text or call.
pub async fn send_phone_code(
    state: &Services,
    agent: &Helpdesk,
    subject: UserId,
    target: (MethodId, PhoneChannel),
    request: AgentRequest<'_>,
) -> Outcome<PhoneChallengeView> {
    if let Err(refusal) = helpable(state, agent, subject).await? {
        return Ok(Err(refusal));
    }
    let (method, channel) = target;
    let who = requester(agent, subject, &request);
    let sent =
        phones::start_for_method(state, &who, method, channel, ChallengePurpose::Helpdesk).await?;
    let challenge = match sent {
        Ok(challenge) => challenge,
        Err(refusal) => return Ok(Err(HelpRefusal::Phone(refusal))),
    };
    let by = if channel == PhoneChannel::Sms {
        "text"
    } else {
        "call"
    };
    let detail = format!("sent a code by {by} to {}", challenge.number);
    let ip = request.ip.to_string();
    let action = AuditAction::CallerCodeSent;
    let now = state.clock.now();
    record(state.db.pool(), now, agent, subject, action, &detail, &ip).await?;
    Ok(Ok(challenge))
}

/// Checks the code the caller reads from the text or call `challenge_id`.
pub async fn verify_by_phone_code(
    state: &Services,
    agent: &Helpdesk,
    subject: UserId,
    challenge_id: i64,
    code: &OtpCode,
    request: AgentRequest<'_>,
) -> Outcome<CheckOutcome> {
    if let Err(refusal) = helpable(state, agent, subject).await? {
        return Ok(Err(refusal));
    }
    let who = requester(agent, subject, &request);
    let purpose = ChallengePurpose::Helpdesk;
    let Some(challenge) = phones::bound_challenge(state, &who, challenge_id, purpose).await? else {
        return Ok(Err(HelpRefusal::Phone(PhoneRefusal::ChallengeOver)));
    };
    let now = state.clock.now();
    if !claim_check(state, subject, now).await? {
        return Ok(Err(HelpRefusal::TooManyChecks));
    }
    let checked = phones::verify_code(state, &who, challenge_id, purpose, code).await?;
    let (way, success) = match challenge.channel {
        PhoneChannel::Sms => ("text_code", ResultCode::TextMessageAuthenticated),
        PhoneChannel::Voice => ("call_code", ResultCode::PINEntered),
    };
    let result = match &checked {
        Ok(_) => success,
        Err(PhoneRefusal::CodeIncorrect) => ResultCode::TextMessageOTPIncorrect,
        // Closed before this try (expired, used, too many tries): nothing was
        // compared, so there is no attempt to record.
        Err(refusal) => return Ok(Err(HelpRefusal::Phone(refusal.clone()))),
    };
    let label = phones_store::find(&state.db, subject, challenge.method_id)
        .await?
        .map(|phone| phone.phone_type.label().to_owned())
        .unwrap_or_else(|| "Phone".to_owned());
    let check = Check {
        subject,
        way,
        method_label: &label,
        verified: checked.is_ok(),
        result,
        ip: &request.ip.to_string(),
    };
    conclude(state, agent, check).await.map(Ok)
}
