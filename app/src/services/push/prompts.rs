//! Sign-in prompts: sending one to the person's devices (policy, fraud block and
//! the 15-minute cap first), the page's wait for the answer, and taking an approval
//! for the sign-in it was made for, once.

use super::{PROMPT_SECS, PushRefusal, event};
use crate::domain::views::ChallengeStatus;
use crate::domain::{
    PushApproval, PushChallengeState, PushPromptView, PushPurpose, ResultCode, SignInMethod,
};
use crate::services::phones::Requester;
use crate::services::{fraud, portal_settings, time_format, user_agent};
use crate::state::Services;
use crate::store::push::{self, ChallengeRow, NewChallenge};
use crate::store::rate_limits::{self, Hit};
use crate::store::{MethodId, UserId, methods};
use data_encoding::BASE32_NOPAD;
use rand::rngs::OsRng;
use rand::seq::SliceRandom;
use rand::{Rng, RngCore};
use std::time::Duration;

const WINDOW_SECS: i64 = 15 * 60;
/// Letters for the short code of plain approval: no look-alikes (0/O, 1/I/L, 5/S, 8/B).
const CODE_LETTERS: &[u8] = b"ACDEFHJKMNPRTUVWXY";

/// What a new prompt shows, decided when it is made.
pub(super) struct Proof {
    pub approval: PushApproval,
    pub shown_code: String,
    /// "43,51,28" for the app to offer; empty for plain approval.
    pub choices: String,
}

impl Proof {
    pub(super) fn new(approval: PushApproval) -> Self {
        let mut rng = OsRng;
        if approval == PushApproval::Approve {
            let code = (0..4)
                .map(|_| char::from(CODE_LETTERS[rng.gen_range(0..CODE_LETTERS.len())]))
                .collect();
            return Proof {
                approval,
                shown_code: code,
                choices: String::new(),
            };
        }
        let mut numbers: Vec<u32> = Vec::with_capacity(3);
        while numbers.len() < 3 {
            let n = rng.gen_range(10..100);
            if !numbers.contains(&n) {
                numbers.push(n);
            }
        }
        let shown_code = numbers[0].to_string();
        numbers.shuffle(&mut rng);
        let choices = numbers
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        Proof {
            approval,
            shown_code,
            choices,
        }
    }
}

/// The words the app shows: which portal, from where, which browser, when, and in
/// plain approval the code to compare.
pub(super) fn question(state: &Services, who: &Requester, proof: &Proof, now: i64) -> String {
    let mut text = format!(
        "Sign in to {} from {}, {}, at {}?",
        state.policy.totp_issuer,
        who.ip,
        user_agent::describe(&who.user_agent),
        time_format::utc_minutes(now),
    );
    if proof.approval == PushApproval::Approve {
        text.push_str(&format!(" Code: {}", proof.shown_code));
    }
    text
}

pub(super) fn new_nonce() -> String {
    let mut bytes = [0_u8; 20];
    OsRng.fill_bytes(&mut bytes);
    BASE32_NOPAD.encode(&bytes)
}

/// Stores a challenge for `who`: to every active device for a sign-in, to `device`
/// alone for its test prompt.
pub(super) async fn create(
    state: &Services,
    who: &Requester,
    purpose: PushPurpose,
    device: Option<MethodId>,
    approval: PushApproval,
) -> anyhow::Result<(i64, Proof, String)> {
    let now = state.clock.now();
    let proof = Proof::new(approval);
    let nonce = new_nonce();
    let question = question(state, who, &proof, now);
    let ip = who.ip.to_string();
    let new = NewChallenge {
        user: who.user,
        nonce: &nonce,
        purpose,
        device,
        bound_event_id: who.bound_event_id,
        approval,
        shown_code: &proof.shown_code,
        choices: &proof.choices,
        question: &question,
        ip: &ip,
        user_agent: &who.user_agent,
        now,
        expires_at: now + PROMPT_SECS,
    };
    let id = push::insert_challenge(state.db.pool(), new).await?;
    Ok((id, proof, question))
}

/// Sends a prompt for a sign-in or to confirm identity to the person's devices
/// ("Send another" sends a new one).
pub async fn start(
    state: &Services,
    who: &Requester,
    purpose: PushPurpose,
) -> anyhow::Result<Result<PushPromptView, PushRefusal>> {
    if purpose == PushPurpose::Activate {
        return Ok(Err(PushRefusal::NotAllowed));
    }
    let settings = portal_settings::current(state).await?;
    if !settings.allows(SignInMethod::AppNotification) {
        return Ok(Err(PushRefusal::NotAllowed));
    }
    if push::count_active(&state.db, who.user).await? == 0 {
        return Ok(Err(PushRefusal::NoDevice));
    }
    if fraud::prompts_blocked(state, who.user).await? {
        event(state, who, ResultCode::MobileAppAllDevicesBlocked).await?;
        return Ok(Err(PushRefusal::PromptsBlocked));
    }
    // Counted before anything is sent, in one statement: a burst cannot pass.
    let bucket = format!("push:user:{}", who.user.0);
    let hit = Hit {
        bucket: &bucket,
        limit: settings.push_per_user_per_15min,
        window_secs: WINDOW_SECS,
        now: state.clock.now(),
    };
    if !rate_limits::hit(state.db.pool(), hit).await? {
        return Ok(Err(PushRefusal::OverLimit));
    }
    let (challenge_id, proof, question) =
        create(state, who, purpose, None, settings.push_approval).await?;
    super::web_push::announce(state, who.user, &question);
    Ok(Ok(PushPromptView {
        challenge_id,
        approval: proof.approval,
        shown_code: proof.shown_code,
        expires_in_secs: PROMPT_SECS,
    }))
}

/// The requester's prompt of `purpose`.
async fn bound(
    state: &Services,
    who: &Requester,
    challenge_id: i64,
    purpose: PushPurpose,
) -> anyhow::Result<Option<ChallengeRow>> {
    Ok(
        push::find_bound(&state.db, who.user, challenge_id, who.bound_event_id)
            .await?
            .filter(|c| c.purpose == purpose),
    )
}

/// Where the requester's prompt stands now. An open prompt past its minute is
/// marked unanswered here, once: result code 133 when a device fetched it, 136 when
/// none polled while it was open (the phone was offline or the app closed).
pub async fn status(
    state: &Services,
    who: &Requester,
    challenge_id: i64,
    purpose: PushPurpose,
) -> anyhow::Result<Option<ChallengeStatus>> {
    let Some(challenge) = bound(state, who, challenge_id, purpose).await? else {
        return Ok(None);
    };
    let now = state.clock.now();
    if challenge.status == PushChallengeState::Open && now > challenge.expires_at {
        let code = if push::polled_since(&state.db, who.user, challenge.created_at).await? {
            ResultCode::MobileAppNoResponse
        } else {
            ResultCode::MobileAppNotificationFailed
        };
        if push::expire(&state.db, challenge.id, code.code(), now).await? {
            event(state, who, code).await?;
        }
        return Ok(Some(ChallengeStatus::Expired));
    }
    Ok(Some(status_of(&challenge)))
}

pub(super) fn status_of(challenge: &ChallengeRow) -> ChallengeStatus {
    match challenge.status {
        PushChallengeState::Open => ChallengeStatus::Waiting,
        PushChallengeState::Approved | PushChallengeState::Used => ChallengeStatus::Approved,
        PushChallengeState::Denied => ChallengeStatus::Denied,
        PushChallengeState::Fraud => ChallengeStatus::FraudReported,
        PushChallengeState::Expired => ChallengeStatus::Expired,
    }
}

/// Waits up to `longest` for the prompt to be decided (a long poll): woken by an
/// answer on this instance, and checking the database every second for answers
/// that reached another one.
pub async fn wait_for_answer(
    state: &Services,
    who: &Requester,
    challenge_id: i64,
    purpose: PushPurpose,
    longest: Duration,
) -> anyhow::Result<Option<ChallengeStatus>> {
    let deadline = tokio::time::Instant::now() + longest;
    loop {
        let answered = state.push_answers.notified();
        let now = status(state, who, challenge_id, purpose).await?;
        if now != Some(ChallengeStatus::Waiting) || tokio::time::Instant::now() >= deadline {
            return Ok(now);
        }
        let nap = deadline.min(tokio::time::Instant::now() + Duration::from_secs(1));
        let _ = tokio::time::timeout_at(nap, answered).await;
    }
}

/// Takes an approved prompt for the sign-in or confirmation it was made for, once;
/// `false` when it is not approved, was taken already, or policy stopped allowing
/// notifications.
pub async fn take_approval(
    state: &Services,
    who: &Requester,
    challenge_id: i64,
    purpose: PushPurpose,
) -> anyhow::Result<bool> {
    let Some(challenge) = bound(state, who, challenge_id, purpose).await? else {
        return Ok(false);
    };
    if challenge.status != PushChallengeState::Approved {
        return Ok(false);
    }
    if !portal_settings::current(state)
        .await?
        .allows(SignInMethod::AppNotification)
    {
        return Ok(false);
    }
    let now = state.clock.now();
    let taken = push::take_approved(&state.db, challenge.id, now).await?;
    if taken && let Some(device) = challenge.answered_by {
        methods::touch(&state.db, who.user, device, now).await?;
    }
    Ok(taken)
}

/// Whether the person has a device that receives prompts.
pub async fn has_device(state: &Services, user: UserId) -> anyhow::Result<bool> {
    Ok(push::count_active(&state.db, user).await? > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_matching_offers_three_different_numbers_including_the_shown_one() {
        for _ in 0..200 {
            let proof = Proof::new(PushApproval::Pick);
            let choices: Vec<&str> = proof.choices.split(',').collect();
            assert_eq!(choices.len(), 3);
            assert!(choices.contains(&proof.shown_code.as_str()));
            assert!(
                choices[0] != choices[1] && choices[1] != choices[2] && choices[0] != choices[2]
            );
            assert!(choices.iter().all(|c| c.len() == 2));
        }
    }

    #[test]
    fn plain_approval_shows_a_four_letter_code_and_offers_no_numbers() {
        let proof = Proof::new(PushApproval::Approve);
        assert_eq!(proof.shown_code.len(), 4);
        assert!(proof.shown_code.bytes().all(|b| CODE_LETTERS.contains(&b)));
        assert!(proof.choices.is_empty());
    }
}
