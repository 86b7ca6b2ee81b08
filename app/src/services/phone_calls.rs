//! The other side of texts and calls: a call's answer (the keys typed) and final
//! status from the gateway's webhook or the development phone, a delivery that
//! finally failed, and the status a waiting page polls.

use super::phones::{self, ChallengePurpose, Requester};
use super::prompt_fraud::ReportedPrompt;
use crate::domain::views::ChallengeStatus;
use crate::domain::{ChallengeState, PhoneChannel, ResultCode, VoiceMode};
use crate::state::Services;
use crate::store::fraud_reports::ReportSource;
use crate::store::phone_challenges::{self, ChallengeRow};
use crate::store::{UserId, users};
use anyhow::Context;
use std::net::IpAddr;

/// What the caller heard after pressing keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallOutcome {
    Approved,
    FraudReported,
    Denied,
    /// The call was not open any more (answered, expired, unknown).
    Ignored,
}

impl CallOutcome {
    /// The sentence the call says before hanging up.
    pub fn speech(self) -> &'static str {
        match self {
            CallOutcome::Approved => "Thank you. The sign-in is approved. Goodbye.",
            CallOutcome::FraudReported => {
                "The sign-in was denied and reported as fraud. Your administrator has been told. Goodbye."
            }
            CallOutcome::Denied => "That is not the right answer. The sign-in was denied. Goodbye.",
            CallOutcome::Ignored => "This request is no longer open. Goodbye.",
        }
    }
}

fn challenge_ip(challenge: &ChallengeRow) -> IpAddr {
    challenge.ip.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
}

/// Records the sign-in event for a decided call or text (not for adding a phone,
/// nor for a helpdesk check, which records its own).
async fn record(
    state: &Services,
    challenge: &ChallengeRow,
    code: ResultCode,
) -> anyhow::Result<()> {
    if matches!(
        challenge.purpose,
        ChallengePurpose::SignIn | ChallengePurpose::Confirm
    ) {
        phones::event(
            state,
            &challenge_ip(challenge),
            &challenge.user_agent,
            UserId(challenge.user_id),
            code,
        )
        .await?;
    }
    Ok(())
}

/// The keys typed on a call before `#` (the gateway reports nothing when nothing
/// was typed, so an empty answer never approves). `0` reports fraud; the number
/// the sign-in page shows (`match`) or `1` (`press`) approves; anything else
/// denies and counts toward the account's lockout like a wrong code.
pub async fn answered(state: &Services, token: &str, digits: &str) -> anyhow::Result<CallOutcome> {
    let Some(challenge) = phone_challenges::find_by_token(&state.db, token).await? else {
        return Ok(CallOutcome::Ignored);
    };
    let now = state.clock.now();
    let digits = digits.trim();
    if challenge.status != ChallengeState::Open || now > challenge.expires_at || digits.is_empty() {
        return Ok(CallOutcome::Ignored);
    }
    let approves = match challenge.voice_mode {
        Some(VoiceMode::Match) => challenge
            .match_number
            .is_some_and(|number| digits == format!("{number:02}")),
        Some(VoiceMode::Press) => digits == "1",
        Some(VoiceMode::Code) | None => false,
    };
    let (status, code, outcome) = if digits == "0" {
        (
            ChallengeState::Fraud,
            ResultCode::FraudCodeEntered,
            CallOutcome::FraudReported,
        )
    } else if approves {
        (
            ChallengeState::Approved,
            ResultCode::PINEntered,
            CallOutcome::Approved,
        )
    } else {
        (
            ChallengeState::Denied,
            ResultCode::InvalidPhoneInput,
            CallOutcome::Denied,
        )
    };
    if !phone_challenges::decide(&state.db, challenge.id, status, code.code(), now).await? {
        return Ok(CallOutcome::Ignored);
    }
    record(state, &challenge, code).await?;
    match outcome {
        CallOutcome::Approved if challenge.purpose == ChallengePurpose::Enrol => {
            approve_enrolment(state, &challenge).await?;
        }
        CallOutcome::FraudReported => report_fraud(state, &challenge).await?,
        CallOutcome::Denied if challenge.purpose != ChallengePurpose::Enrol => {
            // A wrong number is a wrong guess at the second factor.
            if let Ok(claim) = super::lockout::claim(state, UserId(challenge.user_id)).await? {
                claim.failed(state, challenge_ip(&challenge)).await?;
            }
        }
        _ => {}
    }
    Ok(outcome)
}

/// A call that verified a phone being added: the phone becomes a method.
async fn approve_enrolment(state: &Services, challenge: &ChallengeRow) -> anyhow::Result<()> {
    let user = users::find_by_id(&state.db, UserId(challenge.user_id))
        .await?
        .context("the caller's account is gone")?;
    let who = Requester {
        user: user.id,
        bound_event_id: challenge.bound_event_id,
        ip: challenge_ip(challenge),
        user_agent: challenge.user_agent.clone(),
    };
    phone_challenges::consume_approved(&state.db, challenge.id, state.clock.now()).await?;
    if let Err(err) = phones::activate(state, &who, &user, challenge.method_id).await? {
        tracing::warn!(challenge_id = challenge.id, error = ?err, "a phone approved by call could not be activated");
    }
    Ok(())
}

/// 0#: a fraud report (source `call`) with its alerts; further texts, calls and
/// pushes to the person stay blocked while it is open.
async fn report_fraud(state: &Services, challenge: &ChallengeRow) -> anyhow::Result<()> {
    let prompt = ReportedPrompt {
        user: UserId(challenge.user_id),
        source: ReportSource::Call,
        challenge_ref: challenge.id.to_string(),
        what: "pressed 0# on a sign-in call",
        how: "was called to approve a sign-in and pressed 0#",
        owner_what: "You were called to approve a sign-in to your MFA Portal account",
        owner_subject: "You reported a sign-in call as fraud",
        via: "phone call",
        started_at: challenge.created_at,
        ip: &challenge.ip,
        user_agent: &challenge.user_agent,
    };
    super::prompt_fraud::record(state, &prompt).await
}

/// The gateway's final word on a call: if nobody answered, it was not approved.
pub async fn finished(state: &Services, token: &str, call_status: &str) -> anyhow::Result<()> {
    let Some(challenge) = phone_challenges::find_by_token(&state.db, token).await? else {
        return Ok(());
    };
    let (status, code) = match call_status {
        "no-answer" | "busy" => (ChallengeState::Denied, ResultCode::CallTimedOut),
        "failed" | "canceled" => (ChallengeState::Unreachable, ResultCode::UnableToPlaceCall),
        "completed" => (ChallengeState::Denied, ResultCode::CallDisconnected),
        _ => return Ok(()),
    };
    if phone_challenges::decide(
        &state.db,
        challenge.id,
        status,
        code.code(),
        state.clock.now(),
    )
    .await?
    {
        record(state, &challenge, code).await?;
    }
    Ok(())
}

/// The outbox gave up on a text or call: the waiting page says so.
pub async fn delivery_failed(state: &Services, outbox_id: i64) -> anyhow::Result<()> {
    let Some(challenge) = phone_challenges::find_by_outbox(&state.db, outbox_id).await? else {
        return Ok(());
    };
    let code = if challenge.channel == PhoneChannel::Sms {
        ResultCode::TextMessageCouldNotBeSent
    } else {
        ResultCode::UnableToPlaceCall
    };
    if phone_challenges::decide(
        &state.db,
        challenge.id,
        ChallengeState::Unreachable,
        code.code(),
        state.clock.now(),
    )
    .await?
    {
        record(state, &challenge, code).await?;
    }
    Ok(())
}

/// Where the requester's challenge stands.
pub async fn status(
    state: &Services,
    who: &Requester,
    challenge_id: i64,
    purpose: ChallengePurpose,
) -> anyhow::Result<Option<ChallengeStatus>> {
    let Some(challenge) = phones::bound_challenge(state, who, challenge_id, purpose).await? else {
        return Ok(None);
    };
    let now = state.clock.now();
    Ok(Some(match challenge.status {
        ChallengeState::Open if now > challenge.expires_at => ChallengeStatus::Expired,
        ChallengeState::Open => ChallengeStatus::Waiting,
        ChallengeState::Approved | ChallengeState::Used => ChallengeStatus::Approved,
        ChallengeState::Fraud => ChallengeStatus::FraudReported,
        ChallengeState::Unreachable => ChallengeStatus::Unreachable,
        ChallengeState::Denied | ChallengeState::Dead => ChallengeStatus::Denied,
    }))
}

/// Takes an approved call for the sign-in or confirmation it was for, once.
pub async fn take_approval(
    state: &Services,
    who: &Requester,
    challenge_id: i64,
    purpose: ChallengePurpose,
) -> anyhow::Result<bool> {
    let Some(challenge) = phones::bound_challenge(state, who, challenge_id, purpose).await? else {
        return Ok(false);
    };
    if challenge.status != ChallengeState::Approved {
        return Ok(false);
    }
    // Policy may have stopped allowing calls since this one was placed.
    if !super::portal_settings::current(state)
        .await?
        .allows(crate::domain::SignInMethod::PhoneCall)
    {
        return Ok(false);
    }
    let taken =
        phone_challenges::consume_approved(&state.db, challenge.id, state.clock.now()).await?;
    if taken {
        crate::store::methods::touch(&state.db, who.user, challenge.method_id, state.clock.now())
            .await?;
    }
    Ok(taken)
}
