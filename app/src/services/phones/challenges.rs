//! Starting a text or call for a challenge (bound to the requester's sign-in and
//! purpose), and sending a new code for the same challenge.

use super::limits::{claim_send_limits, refuse_over_limit};
use super::sending::{Outgoing, send};
use super::{ChallengePurpose, Outcome, PhoneRefusal, Requester, event, refused};
use crate::domain::phone_number::mask_e164;
use crate::domain::views::PhoneChallengeView;
use crate::domain::{ChallengeState, PhoneChannel, ResultCode, VoiceMode};
use crate::services::phone_codes::{self, CODE_TTL_SECS, CodeState, ResendRefusal};
use crate::services::portal_settings;
use crate::services::time_format::utc_minutes;
use crate::state::Services;
use crate::store::MethodId;
use crate::store::phone_challenges::{self, ChallengeRow, NewChallenge};
use crate::store::phones::{self, PhoneRow};
use anyhow::Context;

/// Sends a code by text, or places a call, to the person's active phone `method_id`.
pub async fn start_for_method(
    state: &Services,
    who: &Requester,
    method_id: MethodId,
    channel: PhoneChannel,
    purpose: ChallengePurpose,
) -> Outcome<PhoneChallengeView> {
    let phone = phones::find(&state.db, who.user, method_id)
        .await?
        .filter(|p| p.active);
    match phone {
        Some(phone) => start(state, who, &phone, channel, purpose).await,
        None => refused(PhoneRefusal::MethodNotFound),
    }
}

/// Sends a code by text, or places a call, for `phone`.
pub async fn start(
    state: &Services,
    who: &Requester,
    phone: &PhoneRow,
    channel: PhoneChannel,
    purpose: ChallengePurpose,
) -> Outcome<PhoneChallengeView> {
    if !state.policy.phone.available {
        return refused(PhoneRefusal::Unavailable);
    }
    if purpose != ChallengePurpose::Enrol {
        let settings = portal_settings::current(state).await?;
        if !settings.allows(channel.method()) {
            return refused(PhoneRefusal::NotAllowed);
        }
    }
    let takes_sms = phone.phone_type.takes_sms();
    if channel == PhoneChannel::Sms && !takes_sms {
        return refused(PhoneRefusal::NotAllowed);
    }
    if crate::services::fraud::prompts_blocked(state, who.user).await? {
        return refused(PhoneRefusal::PromptsBlocked);
    }
    let ip = who.ip.to_string();
    let now = state.clock.now();
    let voice_mode = (channel == PhoneChannel::Voice).then_some(voice_mode_for(state, purpose));
    let token = voice_mode
        .is_some_and(VoiceMode::answered_by_keys)
        .then(random_token);
    let match_number = (voice_mode == Some(VoiceMode::Match)).then(random_match_number);
    let mut tx = state
        .db
        .begin()
        .await
        .context("starting a phone challenge")?;
    if let Err(which) = claim_send_limits(state, &mut tx, who, phone).await? {
        tx.rollback().await.context("giving back send limits")?;
        return refuse_over_limit(state, who, phone, channel, which).await;
    }
    let challenge_id = phone_challenges::insert(
        &mut *tx,
        NewChallenge {
            user: who.user,
            method_id: phone.method_id,
            purpose,
            channel,
            voice_mode,
            bound_event_id: who.bound_event_id,
            ip: &ip,
            user_agent: &who.user_agent,
            call_token: token.as_deref(),
            match_number,
            now,
            expires_at: now + CODE_TTL_SECS,
        },
    )
    .await?;
    let message = Outgoing {
        phone,
        channel,
        purpose,
        challenge_id,
        keys_call: voice_mode.zip(token.as_deref()),
    };
    send(state, &mut tx, who, message).await?;
    tx.commit().await.context("committing a phone challenge")?;
    state.phone_outbox.notify_one();
    if purpose == ChallengePurpose::SignIn && channel == PhoneChannel::Sms {
        event(
            state,
            &who.ip,
            &who.user_agent,
            who.user,
            ResultCode::TextMessageSent,
        )
        .await?;
    }
    let shown = Shown {
        voice_mode,
        match_number,
        expires_at: now + CODE_TTL_SECS,
    };
    Ok(Ok(challenge_view(
        phone,
        challenge_id,
        channel,
        shown,
        purpose,
    )))
}

/// How a call for `purpose` is answered: the policy's mode, except for the
/// helpdesk, whose caller reads the spoken code to the agent (keys pressed on the
/// call would prove nothing to the agent).
fn voice_mode_for(state: &Services, purpose: ChallengePurpose) -> VoiceMode {
    if purpose == ChallengePurpose::Helpdesk {
        VoiceMode::Code
    } else {
        state.policy.phone.voice_mode
    }
}

/// What the waiting page shows about a call or text.
struct Shown {
    voice_mode: Option<VoiceMode>,
    match_number: Option<i64>,
    expires_at: i64,
}

fn challenge_view(
    phone: &PhoneRow,
    challenge_id: i64,
    channel: PhoneChannel,
    shown_as: Shown,
    purpose: ChallengePurpose,
) -> PhoneChallengeView {
    let shown = phone.international.clone();
    // At sign-in the page is not yet the person's; the helpdesk sees phones by kind
    // only. Both see the number masked.
    let number = if matches!(
        purpose,
        ChallengePurpose::SignIn | ChallengePurpose::Helpdesk
    ) {
        mask_e164(&phone.e164, &shown)
    } else {
        shown
    };
    PhoneChallengeView {
        challenge_id,
        method_id: phone.method_id.0,
        channel,
        number,
        press_to_approve: shown_as.voice_mode.is_some_and(VoiceMode::answered_by_keys),
        match_number: shown_as.match_number.map(|n| format!("{n:02}")),
        expires: utc_minutes(shown_as.expires_at),
    }
}

/// The challenge if it belongs to this requester's sign-in and purpose.
pub async fn bound_challenge(
    state: &Services,
    who: &Requester,
    challenge_id: i64,
    purpose: ChallengePurpose,
) -> anyhow::Result<Option<ChallengeRow>> {
    Ok(phone_challenges::find(&state.db, who.user, challenge_id)
        .await?
        .filter(|c| c.bound_event_id == who.bound_event_id && c.purpose == purpose))
}

/// Sends a new code (or calls again) for the same challenge: the old code stops
/// working, the expiry and the failure count stay.
pub async fn resend(
    state: &Services,
    who: &Requester,
    challenge_id: i64,
    purpose: ChallengePurpose,
) -> Outcome<PhoneChallengeView> {
    let Some(challenge) = bound_challenge(state, who, challenge_id, purpose).await? else {
        return refused(PhoneRefusal::ChallengeOver);
    };
    if crate::services::fraud::prompts_blocked(state, who.user).await? {
        return refused(PhoneRefusal::PromptsBlocked);
    }
    let now = state.clock.now();
    if phone_codes::resend_allowed(&challenge, now).is_err() {
        return refused(resend_refusal(&challenge, now));
    }
    let Some(phone) = phones::find(&state.db, who.user, challenge.method_id).await? else {
        return refused(PhoneRefusal::ChallengeOver);
    };
    let channel = challenge.channel;
    let mut tx = state.db.begin().await.context("starting a resend")?;
    // The challenge's own cap and gap are claimed first, in one conditional update
    // that also holds the challenge until this resend commits.
    let slot =
        phone_challenges::claim_resend(&mut *tx, challenge.id, now, phone_codes::RESEND_RULES)
            .await?;
    if !slot {
        tx.rollback().await.context("giving back a resend")?;
        let current = bound_challenge(state, who, challenge_id, purpose)
            .await?
            .unwrap_or(challenge);
        return refused(resend_refusal(&current, now));
    }
    if let Err(which) = claim_send_limits(state, &mut tx, who, &phone).await? {
        tx.rollback().await.context("giving back send limits")?;
        return refuse_over_limit(state, who, &phone, channel, which).await;
    }
    let voice_mode = challenge.voice_mode;
    let token = challenge.call_token.clone();
    let message = Outgoing {
        phone: &phone,
        channel,
        purpose,
        challenge_id: challenge.id,
        keys_call: voice_mode.zip(token.as_deref()),
    };
    send(state, &mut tx, who, message).await?;
    tx.commit().await.context("committing a resend")?;
    state.phone_outbox.notify_one();
    let shown = Shown {
        voice_mode,
        match_number: challenge.match_number,
        expires_at: challenge.expires_at,
    };
    Ok(Ok(challenge_view(
        &phone,
        challenge.id,
        channel,
        shown,
        purpose,
    )))
}

fn resend_refusal(challenge: &ChallengeRow, now: i64) -> PhoneRefusal {
    match phone_codes::resend_allowed(challenge, now) {
        Err(ResendRefusal::TooSoon { wait_secs }) => {
            PhoneRefusal::ResendTooSoon { seconds: wait_secs }
        }
        Err(ResendRefusal::TooMany) => PhoneRefusal::ResendLimit,
        Err(ResendRefusal::Closed) => closed_error(challenge, now),
        // Allowed a moment ago, taken by a parallel resend since.
        Ok(()) => PhoneRefusal::ResendLimit,
    }
}

pub(super) fn closed_error(challenge: &ChallengeRow, now: i64) -> PhoneRefusal {
    match phone_codes::code_state(challenge, now) {
        CodeState::Expired => PhoneRefusal::CodeExpired,
        CodeState::TooManyFailures => PhoneRefusal::TooManyTries,
        _ if challenge.status == ChallengeState::Unreachable => PhoneRefusal::Unreachable,
        _ => PhoneRefusal::ChallengeOver,
    }
}

/// The two-digit number a number-matching call asks for: 10 to 99, so it never
/// starts with the 0 that reports fraud.
fn random_match_number() -> i64 {
    use rand::Rng;
    rand::rngs::OsRng.gen_range(10..=99)
}

/// 128 random bits, URL-safe: names a call in webhooks and on the development phone.
fn random_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    data_encoding::BASE64URL_NOPAD.encode(&bytes)
}
