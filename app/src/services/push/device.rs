//! What the app sends: a signed poll for open prompts, and a signed answer
//! (approve, the number picked, decline, or decline as "I did not trigger this").
//! A bad signature or a stale poll is refused and logged; an answer decides its
//! prompt once.

use super::protocol::{self, ChallengeText};
use super::{DeviceRefusal, event, fraud_report, server_key};
use crate::domain::{PushApproval, PushChallengeState, PushPurpose, ResultCode};
use crate::services::lockout;
use crate::services::phones::Requester;
use crate::state::Services;
use crate::store::push::{self, ChallengeRow, DeviceRow};
use rsa::PublicKey;
use serde::Serialize;
use std::net::IpAddr;

/// The app's decline reason for "I did not trigger this": reported as fraud.
pub const REASON_NOT_ME: &str = "unknown_trigger";

/// One open prompt as the app reads it: every field a string.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeviceChallenge {
    pub nonce: String,
    pub question: String,
    pub serial: String,
    pub title: String,
    pub sslverify: String,
    pub url: String,
    pub signature: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_presence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `"type"` to an app that enrolled with `number_entry=1` (the web
    /// authenticator) when policy asks for typing: it shows a field instead of the
    /// three numbers. Not signed: it changes how the app asks, not what the portal
    /// accepts (the number shown on the sign-in page, as for a pick).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_mode: Option<String>,
}

/// Where the app polls and answers, and whether it must check the certificate.
pub fn device_url(state: &Services) -> (String, bool) {
    let base = state.policy.portal_url.trim_end_matches('/');
    (format!("{base}/device/push"), base.starts_with("https://"))
}

/// The device of `serial` with the key it enrolled, if it finished enrolment.
async fn enrolled(
    state: &Services,
    serial: &str,
) -> anyhow::Result<Option<(DeviceRow, PublicKey)>> {
    let Some(device) = push::find_by_serial(&state.db, serial).await? else {
        return Ok(None);
    };
    let Some(key) = device
        .device_key
        .as_deref()
        .and_then(protocol::parse_device_key)
    else {
        return Ok(None);
    };
    Ok(Some((device, key)))
}

/// A device's signed request at the current time (a poll, or a Web Push
/// subscription): the device, if it is enrolled, the timestamp is within the
/// window and its key signed `text`. Refusals are logged.
pub(super) async fn signed_by_device(
    state: &Services,
    serial: &str,
    timestamp: &str,
    signature: &str,
    text: &str,
) -> anyhow::Result<Result<DeviceRow, DeviceRefusal>> {
    let Some((device, key)) = enrolled(state, serial).await? else {
        tracing::warn!(serial = %escape(serial), "push request from an unknown or unenrolled device");
        return Ok(Err(DeviceRefusal::UnknownDevice));
    };
    if protocol::fresh_timestamp(timestamp, state.clock.now()).is_none() {
        tracing::warn!(
            method_id = device.method_id.0,
            "push request with a stale timestamp refused"
        );
        return Ok(Err(DeviceRefusal::StaleTimestamp));
    }
    if !protocol::verify(&key, text, signature) {
        tracing::warn!(
            method_id = device.method_id.0,
            "push request with a bad signature refused"
        );
        return Ok(Err(DeviceRefusal::BadSignature));
    }
    Ok(Ok(device))
}

/// A signed poll: the open prompts for this device, each signed by the portal.
pub async fn poll(
    state: &Services,
    serial: &str,
    timestamp: &str,
    signature: &str,
) -> anyhow::Result<Result<Vec<DeviceChallenge>, DeviceRefusal>> {
    let text = protocol::poll_text(serial, timestamp);
    let device = match signed_by_device(state, serial, timestamp, signature, &text).await? {
        Ok(device) => device,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let now = state.clock.now();
    push::touch_poll(&state.db, device.method_id, now).await?;
    let open: Vec<ChallengeRow> = push::open_for_device(&state.db, &device, now)
        .await?
        .into_iter()
        // A device still being enrolled sees its test prompt only.
        .filter(|c| device.active || c.purpose == PushPurpose::Activate)
        .collect();
    if open.is_empty() {
        return Ok(Ok(Vec::new()));
    }
    let server_key = server_key::load_or_create(state).await?;
    let (url, ssl_verify) = device_url(state);
    let title = state.policy.totp_issuer.clone();
    let signed = tokio::task::spawn_blocking(move || {
        open.iter()
            .map(|c| sign_challenge(&server_key, c, &device, &url, &title, ssl_verify))
            .collect::<anyhow::Result<Vec<_>>>()
    })
    .await??;
    Ok(Ok(signed))
}

fn sign_challenge(
    key: &rsa::PrivateKey,
    challenge: &ChallengeRow,
    device: &DeviceRow,
    url: &str,
    title: &str,
    ssl_verify: bool,
) -> anyhow::Result<DeviceChallenge> {
    let choices =
        (challenge.approval != PushApproval::Approve).then_some(challenge.choices.as_str());
    let serial = device.serial.as_str();
    let typed = challenge.approval == PushApproval::Type && device.types_numbers;
    let text = ChallengeText {
        nonce: &challenge.nonce,
        url,
        serial,
        question: &challenge.question,
        title,
        ssl_verify,
        choices,
    };
    Ok(DeviceChallenge {
        nonce: challenge.nonce.clone(),
        question: challenge.question.clone(),
        serial: serial.to_owned(),
        title: title.to_owned(),
        sslverify: protocol::ssl_flag(ssl_verify).to_owned(),
        url: url.to_owned(),
        signature: protocol::sign(key, &text.signed_text())?,
        require_presence: choices.map(str::to_owned),
        version: choices.map(|_| "2".to_owned()),
        answer_mode: typed.then(|| "type".to_owned()),
    })
}

/// The app's answer to one prompt, as posted.
#[derive(Debug, Clone, Default)]
pub struct DeviceAnswer {
    pub serial: String,
    pub nonce: String,
    pub signature: String,
    pub decline: bool,
    pub decline_reason: Option<String>,
    pub presence_answer: Option<String>,
}

/// Decides a prompt with a signed answer (approve, a number, or decline);
/// `Ok(false)` when it was not open any more.
pub async fn answer(
    state: &Services,
    answer: DeviceAnswer,
) -> anyhow::Result<Result<bool, DeviceRefusal>> {
    let Some((device, key)) = enrolled(state, &answer.serial).await? else {
        tracing::warn!(serial = %escape(&answer.serial), "push answer from an unknown device");
        return Ok(Err(DeviceRefusal::UnknownDevice));
    };
    let challenge = push::find_by_nonce(&state.db, &answer.nonce).await?;
    let Some(challenge) = challenge.filter(|c| meant_for(c, &device)) else {
        tracing::warn!(
            method_id = device.method_id.0,
            "push answer for a prompt not meant for this device"
        );
        return Ok(Err(DeviceRefusal::UnknownChallenge));
    };
    let reason = answer.decline_reason.as_deref();
    let text = protocol::answer_text(
        &answer.nonce,
        &answer.serial,
        answer.decline.then_some(reason),
        answer.presence_answer.as_deref(),
    );
    if !protocol::verify(&key, &text, &answer.signature) {
        tracing::warn!(
            method_id = device.method_id.0,
            challenge_id = challenge.id,
            "push answer with a bad signature refused"
        );
        if challenge.purpose != PushPurpose::Activate {
            event(
                state,
                &requester(&challenge),
                ResultCode::MobileAppInvalidResult,
            )
            .await?;
        }
        return Ok(Err(DeviceRefusal::BadSignature));
    }
    let verdict = verdict(&challenge, &answer);
    let now = state.clock.now();
    let decided = push::decide(
        &state.db,
        challenge.id,
        verdict.state,
        verdict.code.code(),
        Some(device.method_id),
        now,
    )
    .await?;
    if !decided {
        return Ok(Ok(false));
    }
    state.push_answers.notify_waiters();
    if challenge.purpose != PushPurpose::Activate {
        settle_sign_in(state, &challenge, &verdict).await?;
    }
    Ok(Ok(true))
}

/// A sign-in prompt reaches every active device of its person; a test prompt only
/// the device being activated.
fn meant_for(challenge: &ChallengeRow, device: &DeviceRow) -> bool {
    challenge.user_id == device.user_id
        && match challenge.purpose {
            PushPurpose::SignIn | PushPurpose::Confirm => {
                device.active && challenge.device_id.is_none()
            }
            PushPurpose::Activate => challenge.device_id == Some(device.method_id),
        }
}

struct Verdict {
    state: PushChallengeState,
    code: ResultCode,
}

fn verdict(challenge: &ChallengeRow, answer: &DeviceAnswer) -> Verdict {
    let (state, code) = if answer.decline {
        if answer.decline_reason.as_deref() == Some(REASON_NOT_ME) {
            (PushChallengeState::Fraud, ResultCode::FraudReported)
        } else {
            (PushChallengeState::Denied, ResultCode::MobileAppDenied)
        }
    } else if challenge.approval == PushApproval::Approve
        || answer.presence_answer.as_deref() == Some(challenge.shown_code.as_str())
    {
        (
            PushChallengeState::Approved,
            ResultCode::MobileAppAuthenticated,
        )
    } else {
        // A wrong number (or none) is a refusal, never an approval.
        (
            PushChallengeState::Denied,
            ResultCode::MobileAppInvalidResult,
        )
    };
    Verdict { state, code }
}

fn requester(challenge: &ChallengeRow) -> Requester {
    Requester {
        user: challenge.user_id,
        bound_event_id: challenge.bound_event_id,
        ip: challenge.ip.parse().unwrap_or(IpAddr::from([0, 0, 0, 0])),
        user_agent: challenge.user_agent.clone(),
    }
}

/// Records the decided sign-in (or confirmation) prompt; a denial or wrong number counts toward
/// lockout like a wrong code; a fraud report blocks further prompts and alerts.
async fn settle_sign_in(
    state: &Services,
    challenge: &ChallengeRow,
    verdict: &Verdict,
) -> anyhow::Result<()> {
    let who = requester(challenge);
    event(state, &who, verdict.code).await?;
    match verdict.state {
        PushChallengeState::Denied => {
            if let Ok(claim) = lockout::claim(state, challenge.user_id).await? {
                claim.failed(state, who.ip).await?;
            }
        }
        PushChallengeState::Fraud => fraud_report::record(state, challenge).await?,
        _ => {}
    }
    Ok(())
}

/// Text from the app in a log line: bounded, control characters escaped.
fn escape(text: &str) -> String {
    crate::domain::text::escape_control(text, 64)
}
