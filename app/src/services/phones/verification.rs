//! Checking a code from a text or a code call: the challenge's tries and the
//! account's attempts are claimed before the code is compared.

use super::challenges::{bound_challenge, closed_error};
use super::enrolment::activate;
use super::{ChallengePurpose, Outcome, PhoneRefusal, Requester, event, refused};
use crate::domain::{ChallengeState, OtpCode, PhoneChannel, ResultCode};
use crate::services::lockout;
use crate::services::phone_codes;
use crate::services::portal_settings;
use crate::state::Services;
use crate::store::phone_challenges;
use crate::store::{methods, users};

/// Checks a code from a text (or a code call). On success the challenge is used up
/// and, for a phone being added, the phone becomes a method. Returns the sign-in
/// event recorded (for the second step and confirmations; none for adding a phone
/// or the helpdesk's check, which records its own).
pub async fn verify_code(
    state: &Services,
    who: &Requester,
    challenge_id: i64,
    purpose: ChallengePurpose,
    code: &OtpCode,
) -> Outcome<Option<i64>> {
    let Some(challenge) = bound_challenge(state, who, challenge_id, purpose).await? else {
        return refused(PhoneRefusal::ChallengeOver);
    };
    let Some(user) = users::find_by_id(&state.db, who.user).await? else {
        return refused(PhoneRefusal::ChallengeOver);
    };
    let now = state.clock.now();
    // Sign-ins and confirmations are guesses at the account's second factor; adding
    // a phone proves only the phone, and the helpdesk's check counts per person on
    // its own (a locked-out person is who calls the helpdesk).
    let counts_as_sign_in = matches!(
        purpose,
        ChallengePurpose::SignIn | ChallengePurpose::Confirm
    );
    let channel = challenge.channel;
    if purpose != ChallengePurpose::Enrol
        && !portal_settings::current(state)
            .await?
            .allows(channel.method())
    {
        return refused(PhoneRefusal::NotAllowed);
    }
    // Both limits are claimed before the code is compared: the challenge's five
    // tries first (the tighter one), then the account's (for sign-ins and
    // confirmations), so a burst at one challenge never takes more than five of
    // the account's attempts.
    let claimed =
        phone_challenges::claim_try(&state.db, challenge.id, now, phone_codes::MAX_FAILURES)
            .await?;
    if !claimed {
        let current = bound_challenge(state, who, challenge_id, purpose)
            .await?
            .unwrap_or(challenge);
        return refused(closed_error(&current, now));
    }
    let account_claim = if counts_as_sign_in {
        match lockout::claim(state, user.id).await? {
            Ok(claim) => Some(claim),
            Err(until) => {
                return refused(PhoneRefusal::AccountLocked { until });
            }
        }
    } else {
        None
    };
    let expected = challenge.code_mac.as_deref().unwrap_or_default();
    let given = state.keys.phone_code_mac(challenge.id, code.as_str());
    let matches: bool = subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), given.as_bytes()).into();
    if !matches || expected.is_empty() {
        if let Some(claim) = account_claim {
            claim.failed(state, who.ip).await?;
            event(
                state,
                &who.ip,
                &who.user_agent,
                who.user,
                ResultCode::TextMessageOTPIncorrect,
            )
            .await?;
        }
        return refused(PhoneRefusal::CodeIncorrect);
    }
    let success = if challenge.channel == PhoneChannel::Sms {
        ResultCode::TextMessageAuthenticated
    } else {
        ResultCode::PINEntered
    };
    if !phone_challenges::decide(
        &state.db,
        challenge.id,
        ChallengeState::Used,
        success.code(),
        now,
    )
    .await?
    {
        if let Some(claim) = account_claim {
            claim.handed_back(state).await?;
        }
        return refused(PhoneRefusal::ChallengeOver);
    }
    let Some(claim) = account_claim else {
        if purpose == ChallengePurpose::Helpdesk {
            return Ok(Ok(None));
        }
        return activate(state, who, &user, challenge.method_id)
            .await
            .map(|r| r.map(|()| None));
    };
    claim.succeeded(state).await?;
    methods::touch(&state.db, who.user, challenge.method_id, now).await?;
    let event_id = event(state, &who.ip, &who.user_agent, who.user, success).await?;
    Ok(Ok(Some(event_id)))
}
