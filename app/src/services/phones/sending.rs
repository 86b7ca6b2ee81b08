//! Queueing a text or a call for a challenge: a fresh code (its keyed hash kept,
//! never the code) unless the call is answered with keys, sealed in the outbox.

use super::{ChallengePurpose, Requester};
use crate::domain::PhoneChannel;
use crate::domain::VoiceMode;
use crate::providers::phone::CallScript;
use crate::services::phone_codes::PhoneCode;
use crate::state::Services;
use crate::store::outbox::{self, OutboxChannel};
use crate::store::phone_challenges;
use crate::store::phones::PhoneRow;
use anyhow::Context;

fn sealing_context(recipient: &str) -> String {
    format!("outbox-phone:{recipient}")
}

/// One text or call for a challenge.
pub(super) struct Outgoing<'a> {
    pub(super) phone: &'a PhoneRow,
    pub(super) channel: PhoneChannel,
    pub(super) purpose: ChallengePurpose,
    pub(super) challenge_id: i64,
    /// A call answered with keys: its mode and token (no code then).
    pub(super) keys_call: Option<(VoiceMode, &'a str)>,
}

/// Queues the text or call (a fresh code unless the call is answered with keys),
/// on the caller's transaction.
pub(super) async fn send(
    state: &Services,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    who: &Requester,
    message: Outgoing<'_>,
) -> anyhow::Result<()> {
    let Outgoing {
        phone,
        channel,
        purpose,
        challenge_id,
        keys_call,
    } = message;
    let now = state.clock.now();
    let (code_mac, body) = match (channel, keys_call) {
        (PhoneChannel::Voice, Some((mode, token))) => {
            let token = token.to_owned();
            let script = if mode == VoiceMode::Match {
                CallScript::Match { token }
            } else {
                CallScript::Press { token }
            };
            (None, serde_json::to_string(&script)?)
        }
        (PhoneChannel::Voice, None) => {
            let code = PhoneCode::generate();
            let script = CallScript::Code {
                code: code.as_str().to_owned(),
            };
            let mac = state.keys.phone_code_mac(challenge_id, code.as_str());
            (Some(mac), serde_json::to_string(&script)?)
        }
        (PhoneChannel::Sms, _) => {
            let code = PhoneCode::generate();
            let mac = state.keys.phone_code_mac(challenge_id, code.as_str());
            let text = text_for(purpose, code.as_str());
            (Some(mac), text)
        }
    };
    let sealed = state
        .keys
        .seal(body.as_bytes(), &sealing_context(&phone.e164))?;
    let (outbox_channel, subject) = match channel {
        PhoneChannel::Sms => (OutboxChannel::Sms, "Text message"),
        PhoneChannel::Voice => (OutboxChannel::Voice, "Call"),
    };
    let outbox_id = outbox::enqueue(
        &mut **tx,
        outbox::NewMessage {
            channel: outbox_channel,
            user: Some(who.user),
            recipient: &phone.e164,
            subject,
            body: &sealed,
            sealed: true,
            now,
        },
    )
    .await?;
    phone_challenges::set_code(&mut **tx, challenge_id, code_mac.as_deref(), outbox_id, now)
        .await?;
    Ok(())
}

/// The text carrying `code`. Only the helpdesk's code is meant to be read out, and
/// only to the agent the person called; every other code is never to be shared.
fn text_for(purpose: ChallengePurpose, code: &str) -> String {
    if purpose == ChallengePurpose::Helpdesk {
        format!(
            "{code} is the code to read to the MFA Portal helpdesk agent you called. It expires in 10 minutes and cannot sign anyone in. If you did not call the helpdesk, do not share it."
        )
    } else {
        format!(
            "{code} is your MFA Portal code. It expires in 10 minutes. Never share it: the portal will never ask you for it by phone."
        )
    }
}

/// Opens a queued text's or call's body for the delivery worker.
pub fn open_body(state: &Services, recipient: &str, sealed: &str) -> anyhow::Result<String> {
    let plain = state.keys.open(sealed, &sealing_context(recipient))?;
    String::from_utf8(plain.to_vec()).context("a queued phone message is not text")
}
