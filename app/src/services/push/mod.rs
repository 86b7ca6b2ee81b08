//! Notification in the app: the server side of the privacyIDEA PUSH protocol
//! (version 1, poll only, no Firebase), so the privacyIDEA Authenticator and
//! eduMFA Authenticator apps from the stores work. A device is enrolled from a QR
//! code (`enrolment`), polls for prompts and answers them with signatures of its
//! own key (`device`); sign-in prompts are sent, waited on and taken once
//! (`prompts`); the wire details are in `protocol`, the portal's signing key in
//! `server_key`. Where configured, `web_push` wakes the web authenticator's
//! browser for a new prompt.

pub mod device;
pub mod enrolment;
mod fraud_report;
pub mod prompts;
pub mod protocol;
pub mod server_key;
pub mod web_push;

pub use device::{DeviceAnswer, DeviceChallenge, answer, poll};
pub use enrolment::{AppEnrolment, activation, app_enrols, begin};
pub use prompts::{has_device, start, status, take_approval, wait_for_answer};

use crate::domain::ResultCode;
use crate::services::phones::{self, Requester};
use crate::state::Services;

/// A prompt is open this long.
pub const PROMPT_SECS: i64 = 60;
/// Scanning the QR code, enrolling and approving the test prompt: ten minutes.
pub const ENROLMENT_SECS: i64 = 10 * 60;

/// Why a sign-in prompt was not sent; `api/push.rs` words each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushRefusal {
    /// Policy does not allow app notifications.
    NotAllowed,
    /// The person has no device that finished activation.
    NoDevice,
    /// An open fraud report blocks prompts.
    PromptsBlocked,
    /// `push_per_user_per_15min` prompts were sent already.
    OverLimit,
}

/// Why the app's enrolment step 2 was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnrolRefusal {
    /// The public key is not an RSA key of 2048 to 8192 bits in a form we read.
    BadKey,
    /// Unknown serial, or the credential is wrong, used or expired.
    CredentialRefused,
}

/// Why a poll or an answer from a device was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceRefusal {
    UnknownDevice,
    StaleTimestamp,
    BadSignature,
    /// No such prompt for this device.
    UnknownChallenge,
}

/// Records a sign-in event for the prompt's sign-in.
async fn event(state: &Services, who: &Requester, code: ResultCode) -> anyhow::Result<i64> {
    phones::event(state, &who.ip, &who.user_agent, who.user, code).await
}
