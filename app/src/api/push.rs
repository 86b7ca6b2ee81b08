//! Notification in the app: adding a device (QR code, then the test prompt), and
//! the second step by a prompt to the person's devices, waited on by a long poll.

use crate::domain::views::ChallengeStatus;
use crate::domain::{AppError, PushActivation, PushEnrolmentView, PushPromptView};
use leptos::prelude::*;

/// Starts adding a device: signed in and recently verified, or registering at
/// sign-in.
#[server(endpoint = "begin_push_device")]
pub async fn begin_push_device(name: String) -> Result<PushEnrolmentView, AppError> {
    use crate::domain::MethodName;
    let ctx = super::guard::request()?;
    let name = MethodName::parse(&name)
        .map_err(|e| ctx.refuse(AppError::invalid("name", e.to_string())))?;
    let enroller = ctx.enroller().await?;
    crate::services::push::begin(&ctx.state, &enroller, &name)
        .await
        .map_err(|e| ctx.internal(e))
}

/// Where adding a device stands (and the test prompt sent once the app enrolled);
/// when registering at sign-in, an active device completes the sign-in.
#[server(endpoint = "push_device_activation")]
pub async fn push_device_activation(method_id: i64) -> Result<PushActivation, AppError> {
    let ctx = super::guard::request()?;
    let enroller = ctx.enroller().await?;
    let now = crate::services::push::activation(
        &ctx.state,
        &enroller,
        crate::store::MethodId(method_id),
        ctx.client_ip()?,
        &ctx.user_agent(),
    )
    .await
    .map_err(|e| ctx.internal(e))?;
    if now == PushActivation::Active {
        super::phones::finish_registration(&ctx, &enroller).await?;
    }
    Ok(now)
}

/// A prompt to every device of the person: for the second step of a sign-in
/// (`purpose` `sign_in`) or to confirm identity before a change (`confirm`).
#[server(endpoint = "start_push")]
pub async fn start_push(purpose: String) -> Result<PushPromptView, AppError> {
    use crate::services::push::{self, PushRefusal};
    let ctx = super::guard::request()?;
    let (who, purpose) = push_requester(&ctx, &purpose).await?;
    push::start(&ctx.state, &who, purpose)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| {
            ctx.refuse(match refusal {
                PushRefusal::NotAllowed => AppError::MethodNotAllowed,
                PushRefusal::NoDevice => AppError::PushNoDevice,
                PushRefusal::PromptsBlocked => AppError::PushPromptsBlocked,
                PushRefusal::OverLimit => AppError::PushLimit,
            })
        })
}

/// Waits (up to 20 seconds) for the prompt's answer; an approval completes the
/// sign-in, or marks the session as recently verified.
#[server(endpoint = "push_status")]
pub async fn push_status(
    challenge_id: i64,
    purpose: String,
    remember: Option<String>,
) -> Result<ChallengeStatus, AppError> {
    use crate::domain::PushPurpose;
    use crate::services::push;
    use crate::services::sign_in_flow::{self, SecondStepPassed};
    let ctx = super::guard::request()?;
    let (who, purpose) = push_requester(&ctx, &purpose).await?;
    let longest = std::time::Duration::from_secs(20);
    let status = push::wait_for_answer(&ctx.state, &who, challenge_id, purpose, longest)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| ctx.refuse(AppError::PushPromptOver))?;
    if status != ChallengeStatus::Approved {
        return Ok(status);
    }
    let taken = push::take_approval(&ctx.state, &who, challenge_id, purpose)
        .await
        .map_err(|e| ctx.internal(e))?;
    if !taken {
        return Err(ctx.refuse(AppError::PushPromptOver));
    }
    if purpose == PushPurpose::Confirm {
        ctx.mark_verified().await?;
        return Ok(ChallengeStatus::Approved);
    }
    let pending = ctx
        .pending(crate::services::caller::PendingStage::SecondFactor)
        .await?;
    let passed = SecondStepPassed::at_second_step(&pending, who.bound_event_id);
    let completed =
        sign_in_flow::complete_sign_in(&ctx.state, passed, &ctx.origin()?, remember.is_some())
            .await
            .map_err(|e| ctx.internal(e))?;
    ctx.finish_sign_in(completed).await?;
    Ok(ChallengeStatus::Approved)
}

/// Who asks, by purpose: the half-signed-in person at the second step, or the
/// signed-in person (acting for themselves) confirming identity.
#[cfg(feature = "ssr")]
async fn push_requester(
    ctx: &super::guard::RequestContext,
    purpose: &str,
) -> Result<
    (
        crate::services::phones::Requester,
        crate::domain::PushPurpose,
    ),
    AppError,
> {
    use crate::domain::PushPurpose;
    let purpose = PushPurpose::parse(purpose)
        .filter(|p| *p != PushPurpose::Activate)
        .ok_or_else(|| ctx.refuse(AppError::invalid("form", "Reload the page and try again.")))?;
    let (user, bound_event_id) = if purpose == PushPurpose::SignIn {
        let pending = ctx
            .pending(crate::services::caller::PendingStage::SecondFactor)
            .await?;
        (pending.user(), pending.event_id)
    } else {
        let caller = ctx.require_user().await?;
        caller
            .require_writable()
            .map_err(|refusal| ctx.refuse(refusal))?;
        (caller.subject.id, caller.sign_in_event_id)
    };
    let who = crate::services::phones::Requester {
        user,
        bound_event_id,
        ip: ctx.client_ip()?,
        user_agent: ctx.user_agent(),
    };
    Ok((who, purpose))
}
