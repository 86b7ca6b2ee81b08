//! Phones as sign-in methods: adding one (verified by a text or a call before it
//! counts: `enrolment`), texts and calls for the second step and for confirming
//! identity (`challenges`), checking codes (`verification`), queueing what is sent
//! (`sending`) under the hourly abuse limits (`limits`). Every send goes through the
//! outbox, sealed.

mod challenges;
mod enrolment;
mod limits;
mod sending;
mod verification;

pub use challenges::{bound_challenge, resend, start, start_for_method};
pub use enrolment::{NewPhoneInput, activate, add, list, set_by_organisation, setup};
pub use sending::open_body;
pub use verification::verify_code;

use super::sign_in::EventDraft;
pub use crate::domain::ChallengePurpose;
use crate::domain::{FieldError, ResultCode};
use crate::state::Services;
use crate::store::{UserId, users};
use std::net::IpAddr;

/// Who asks, and the sign-in (its first event) the challenge is bound to.
#[derive(Clone, Debug)]
pub struct Requester {
    pub user: UserId,
    pub bound_event_id: i64,
    pub ip: IpAddr,
    pub user_agent: String,
}

/// Why a phone, a text, a call or a code was refused; `api/phones.rs` words each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhoneRefusal {
    /// No provider is configured.
    Unavailable,
    /// Policy does not allow this method (or this channel for this phone).
    NotAllowed,
    /// The organisation set this phone and policy keeps it.
    SetByOrganisation,
    /// An open fraud report blocks texts and calls.
    PromptsBlocked,
    /// An hourly limit per number, person, address or country.
    OverLimit,
    ChallengeOver,
    ResendTooSoon {
        seconds: i64,
    },
    ResendLimit,
    CodeExpired,
    TooManyTries,
    /// The text or call could not be delivered.
    Unreachable,
    CodeIncorrect,
    AccountLocked {
        until: i64,
    },
    /// The phone's enrolment is over.
    EnrolmentExpired,
    MethodNotFound,
    /// One field of the add-a-phone form, and what is wrong with it.
    Invalid(FieldError),
}

impl PhoneRefusal {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        PhoneRefusal::Invalid(FieldError::new(field, message))
    }
}

pub(crate) type Outcome<T> = anyhow::Result<Result<T, PhoneRefusal>>;

pub(crate) fn refused<T>(err: PhoneRefusal) -> Outcome<T> {
    Ok(Err(err))
}

pub(crate) async fn event(
    state: &Services,
    ip: &IpAddr,
    user_agent: &str,
    user: UserId,
    code: ResultCode,
) -> anyhow::Result<i64> {
    let username = users::find_by_id(&state.db, user)
        .await?
        .map(|u| u.username)
        .unwrap_or_default();
    EventDraft::from_parts(&username, *ip, user_agent, state.clock.now())
        .record(state, Some(user), code)
        .await
}
