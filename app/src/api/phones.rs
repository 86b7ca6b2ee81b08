//! Phones: adding and verifying one, texts and calls at the second step and for
//! confirming identity, and the status a page waiting for a call polls.

use crate::domain::AppError;
use crate::domain::views::{ChallengeStatus, PhoneChallengeView};
use leptos::prelude::*;

/// Adds a phone and sends the text (or places the call) that verifies it.
#[server(endpoint = "add_phone")]
pub async fn add_phone(
    region: String,
    number: String,
    phone_type: String,
    channel: String,
) -> Result<PhoneChallengeView, AppError> {
    use crate::services::phones::{self, NewPhoneInput};
    let ctx = super::guard::request()?;
    let enroller = ctx.enroller().await?;
    let input = NewPhoneInput {
        region: &region,
        number: &number,
        phone_type: &phone_type,
        channel: &channel,
    };
    phones::add(
        &ctx.state,
        &enroller,
        ctx.client_ip()?,
        ctx.user_agent(),
        input,
    )
    .await
    .map_err(|e| ctx.internal(e))?
    .map_err(|refusal| ctx.refuse(phone_refusal_error(refusal)))
}

/// What the add-a-phone form offers the person adding a method now (signed in and
/// recently verified, or registering at sign-in); `None` when phones are off.
#[server(endpoint = "phone_setup")]
pub async fn phone_setup() -> Result<Option<crate::domain::views::PhoneSetupView>, AppError> {
    let ctx = super::guard::request()?;
    let enroller = ctx.enroller().await?;
    crate::services::phones::setup(&ctx.state, enroller.person().id)
        .await
        .map_err(|e| ctx.internal(e))
}

/// Checks the code that verifies a phone being added; when registering at sign-in,
/// this also completes the sign-in.
#[server(endpoint = "verify_phone")]
pub async fn verify_phone(challenge_id: i64, code: String) -> Result<(), AppError> {
    use crate::services::phones::{self, ChallengePurpose};
    let ctx = super::guard::request()?;
    let code = parse_code(&ctx, &code)?;
    let enroller = ctx.enroller().await?;
    let who = enrolment_requester(&ctx, &enroller)?;
    phones::verify_code(
        &ctx.state,
        &who,
        challenge_id,
        ChallengePurpose::Enrol,
        &code,
    )
    .await
    .map_err(|e| ctx.internal(e))?
    .map_err(|refusal| ctx.refuse(phone_refusal_error(refusal)))?;
    finish_registration(&ctx, &enroller).await
}

/// Sends a new code (or calls again) for a challenge of this session.
#[server(endpoint = "resend_phone_code")]
pub async fn resend_phone_code(
    challenge_id: i64,
    purpose: String,
) -> Result<PhoneChallengeView, AppError> {
    use crate::services::phones;
    let ctx = super::guard::request()?;
    let (who, purpose) = requester_for(&ctx, &purpose).await?;
    phones::resend(&ctx.state, &who, challenge_id, purpose)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| ctx.refuse(phone_refusal_error(refusal)))
}

/// Where a text or call stands. An approved call completes what it was for: the
/// sign-in, the confirmation, or (when registering) the sign-in after adding.
#[server(endpoint = "phone_status")]
pub async fn phone_status(
    challenge_id: i64,
    purpose: String,
    remember: Option<String>,
) -> Result<ChallengeStatus, AppError> {
    use crate::services::phone_calls;
    use crate::services::phones::ChallengePurpose;
    let ctx = super::guard::request()?;
    let (who, purpose) = requester_for(&ctx, &purpose).await?;
    let status = phone_calls::status(&ctx.state, &who, challenge_id, purpose)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| ctx.refuse(AppError::PhoneChallengeOver))?;
    if status != ChallengeStatus::Approved {
        return Ok(status);
    }
    match purpose {
        ChallengePurpose::Enrol => {
            let enroller = ctx.enroller().await?;
            finish_registration(&ctx, &enroller).await?;
        }
        ChallengePurpose::SignIn | ChallengePurpose::Confirm => {
            let taken = phone_calls::take_approval(&ctx.state, &who, challenge_id, purpose)
                .await
                .map_err(|e| ctx.internal(e))?;
            if !taken {
                return Err(ctx.refuse(AppError::PhoneChallengeOver));
            }
            complete(&ctx, purpose, who.bound_event_id, remember.is_some()).await?;
        }
        ChallengePurpose::Helpdesk => return Err(ctx.refuse(AppError::PhoneChallengeOver)),
    }
    Ok(ChallengeStatus::Approved)
}

/// The second step by phone: send a text or place a call to one of the person's
/// phones.
#[server(endpoint = "start_phone_sign_in")]
pub async fn start_phone_sign_in(
    method_id: i64,
    channel: String,
    purpose: String,
) -> Result<PhoneChallengeView, AppError> {
    use crate::domain::PhoneChannel;
    use crate::services::phones;
    let ctx = super::guard::request()?;
    let (who, purpose) = requester_for(&ctx, &purpose).await?;
    let channel = PhoneChannel::parse(&channel)
        .ok_or_else(|| ctx.refuse(AppError::invalid("channel", "Choose a text or a call.")))?;
    phones::start_for_method(
        &ctx.state,
        &who,
        crate::store::MethodId(method_id),
        channel,
        purpose,
    )
    .await
    .map_err(|e| ctx.internal(e))?
    .map_err(|refusal| ctx.refuse(phone_refusal_error(refusal)))
}

/// Checks a code from a text (or a code call) at the second step or to confirm
/// identity.
#[server(endpoint = "verify_phone_sign_in")]
pub async fn verify_phone_sign_in(
    challenge_id: i64,
    code: String,
    purpose: String,
    remember: Option<String>,
) -> Result<(), AppError> {
    use crate::services::phones;
    let ctx = super::guard::request()?;
    let code = parse_code(&ctx, &code)?;
    let (who, purpose) = requester_for(&ctx, &purpose).await?;
    let event_id = phones::verify_code(&ctx.state, &who, challenge_id, purpose, &code)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| ctx.refuse(phone_refusal_error(refusal)))?
        .unwrap_or(who.bound_event_id);
    complete(&ctx, purpose, event_id, remember.is_some()).await?;
    if purpose == phones::ChallengePurpose::SignIn {
        leptos_axum::redirect("/account");
    }
    Ok(())
}

#[cfg(feature = "ssr")]
pub use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {
    use super::super::guard::RequestContext;
    use crate::domain::{AppError, OtpCode};
    use crate::services::caller::{Enroller, PendingStage};
    use crate::services::phones::{ChallengePurpose, PhoneRefusal, Requester};
    use crate::services::sign_in_flow::{self, SecondStepPassed};

    /// The words for a refused phone, text, call or code.
    pub fn phone_refusal_error(refusal: PhoneRefusal) -> AppError {
        match refusal {
            PhoneRefusal::Unavailable => AppError::PhoneUnavailable,
            PhoneRefusal::NotAllowed => AppError::MethodNotAllowed,
            PhoneRefusal::SetByOrganisation => AppError::PhoneSetByOrganisation,
            PhoneRefusal::PromptsBlocked => AppError::PhonePromptsBlocked,
            PhoneRefusal::OverLimit => AppError::PhoneLimit,
            PhoneRefusal::ChallengeOver => AppError::PhoneChallengeOver,
            PhoneRefusal::ResendTooSoon { seconds } => AppError::ResendTooSoon { seconds },
            PhoneRefusal::ResendLimit => AppError::ResendLimit,
            PhoneRefusal::CodeExpired => AppError::PhoneCodeExpired,
            PhoneRefusal::TooManyTries => AppError::PhoneTooManyTries,
            PhoneRefusal::Unreachable => AppError::PhoneUnreachable,
            PhoneRefusal::CodeIncorrect => AppError::PhoneCodeIncorrect,
            PhoneRefusal::AccountLocked { until } => AppError::AccountLocked {
                until: crate::services::time_format::utc_minutes(until),
            },
            PhoneRefusal::EnrolmentExpired => AppError::EnrolmentExpired,
            PhoneRefusal::MethodNotFound => AppError::MethodNotFound,
            PhoneRefusal::Invalid(error) => error.into(),
        }
    }

    pub fn parse_code(ctx: &RequestContext, raw: &str) -> Result<OtpCode, AppError> {
        OtpCode::parse(raw).map_err(|e| ctx.refuse(AppError::invalid("code", e.to_string())))
    }

    fn requester(
        ctx: &RequestContext,
        user: crate::store::UserId,
        bound: i64,
    ) -> Result<Requester, AppError> {
        Ok(Requester {
            user,
            bound_event_id: bound,
            ip: ctx.client_ip()?,
            user_agent: ctx.user_agent(),
        })
    }

    /// The person adding a phone, bound to their sign-in.
    pub fn enrolment_requester(
        ctx: &RequestContext,
        enroller: &Enroller,
    ) -> Result<Requester, AppError> {
        requester(ctx, enroller.person().id, enroller.event_id())
    }

    /// The requester for `purpose`: the half-signed-in person at the second step,
    /// the signed-in person to confirm identity, the enroller to add a phone.
    pub async fn requester_for(
        ctx: &RequestContext,
        purpose: &str,
    ) -> Result<(Requester, ChallengePurpose), AppError> {
        let purpose = ChallengePurpose::parse(purpose).ok_or_else(|| {
            ctx.refuse(AppError::invalid("form", "Reload the page and try again."))
        })?;
        let who = match purpose {
            ChallengePurpose::SignIn => {
                let pending = ctx.pending(PendingStage::SecondFactor).await?;
                requester(ctx, pending.user(), pending.event_id)?
            }
            ChallengePurpose::Confirm => {
                let caller = ctx.require_user().await?;
                caller
                    .require_writable()
                    .map_err(|refusal| ctx.refuse(refusal))?;
                requester(ctx, caller.subject.id, caller.sign_in_event_id)?
            }
            ChallengePurpose::Enrol => enrolment_requester(ctx, &ctx.enroller().await?)?,
            // The helpdesk's checks go through `api/helpdesk.rs`, bound to the agent.
            ChallengePurpose::Helpdesk => {
                return Err(ctx.refuse(AppError::invalid("form", "Reload the page and try again.")));
            }
        };
        Ok((who, purpose))
    }

    /// After a correct code or an approved call: sign in, or mark the session as
    /// recently verified.
    pub async fn complete(
        ctx: &RequestContext,
        purpose: ChallengePurpose,
        event_id: i64,
        remember: bool,
    ) -> Result<(), AppError> {
        match purpose {
            ChallengePurpose::SignIn => {
                let pending = ctx.pending(PendingStage::SecondFactor).await?;
                let passed = SecondStepPassed::at_second_step(&pending, event_id);
                let completed =
                    sign_in_flow::complete_sign_in(&ctx.state, passed, &ctx.origin()?, remember)
                        .await
                        .map_err(|e| ctx.internal(e))?;
                ctx.finish_sign_in(completed).await
            }
            ChallengePurpose::Confirm => ctx.mark_verified().await,
            ChallengePurpose::Enrol => Ok(()),
            ChallengePurpose::Helpdesk => Err(ctx.refuse(AppError::PhoneChallengeOver)),
        }
    }

    /// A method added while registering at sign-in completes that sign-in.
    pub async fn finish_registration(
        ctx: &RequestContext,
        enroller: &Enroller,
    ) -> Result<(), AppError> {
        let Enroller::Registering(registering) = enroller else {
            return Ok(());
        };
        let passed = SecondStepPassed::by_registering(registering);
        let completed = sign_in_flow::complete_sign_in(&ctx.state, passed, &ctx.origin()?, false)
            .await
            .map_err(|e| ctx.internal(e))?;
        ctx.finish_sign_in(completed).await?;
        leptos_axum::redirect("/account");
        Ok(())
    }
}
