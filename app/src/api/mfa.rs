//! The second step of sign-in and registration at sign-in ("More information
//! required"). Only a half-signed-in session may call these.

use crate::domain::AppError;
use crate::domain::views::{EnrolmentView, SecondStepView};
use leptos::prelude::*;

/// The methods offered at the second step.
#[server(endpoint = "second_step")]
pub async fn second_step() -> Result<SecondStepView, AppError> {
    use crate::services::caller::PendingStage;
    use crate::services::sign_in_flow;
    let ctx = super::guard::request()?;
    let pending = ctx.pending(PendingStage::SecondFactor).await?;
    sign_in_flow::second_step_options(&ctx.state, &pending)
        .await
        .map_err(|e| ctx.internal(e))
}

/// Checks the code and completes the sign-in.
#[server(endpoint = "verify_second_step")]
pub async fn verify_second_step(
    method_id: i64,
    code: String,
    remember: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::OtpCode;
    use crate::services::caller::PendingStage;
    use crate::services::second_step::{self, CodeAttempt};
    use crate::services::sign_in_flow::{self, SecondStepPassed};
    let ctx = super::guard::request()?;
    let code =
        OtpCode::parse(&code).map_err(|e| ctx.refuse(AppError::invalid("code", e.to_string())))?;
    let pending = ctx.pending(PendingStage::SecondFactor).await?;
    let attempt = CodeAttempt {
        method_id: crate::store::MethodId(method_id),
        code,
        ip: ctx.client_ip()?,
        user_agent: ctx.user_agent(),
    };
    let event_id = second_step::verify(&ctx.state, pending.user(), attempt)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| ctx.refuse(super::security::code_refusal_error(refusal)))?;
    let passed = SecondStepPassed::at_second_step(&pending, event_id);
    let completed =
        sign_in_flow::complete_sign_in(&ctx.state, passed, &ctx.origin()?, remember.is_some())
            .await
            .map_err(|e| ctx.internal(e))?;
    ctx.finish_sign_in(completed).await?;
    leptos_axum::redirect("/account");
    Ok(())
}

/// Starts registering an authenticator app: signed in and recently verified, or
/// half-signed-in with registration required.
#[server(endpoint = "begin_authenticator")]
pub async fn begin_authenticator(name: String) -> Result<EnrolmentView, AppError> {
    use crate::domain::MethodName;
    use crate::services::authenticator;
    let ctx = super::guard::request()?;
    let name = MethodName::parse(&name)
        .map_err(|e| ctx.refuse(AppError::invalid("name", e.to_string())))?;
    let enroller = ctx.enroller().await?;
    authenticator::begin(&ctx.state, &enroller, &name)
        .await
        .map_err(|e| ctx.internal(e))
}

/// Activates the app with its first code; when registering at sign-in, this also
/// completes the sign-in.
#[server(endpoint = "activate_authenticator")]
pub async fn activate_authenticator(method_id: i64, code: String) -> Result<(), AppError> {
    use crate::domain::OtpCode;
    use crate::services::authenticator::{self, CodeCheck};
    let ctx = super::guard::request()?;
    let code =
        OtpCode::parse(&code).map_err(|e| ctx.refuse(AppError::invalid("code", e.to_string())))?;
    let enroller = ctx.enroller().await?;
    let ip = ctx.client_ip()?.to_string();
    let check = authenticator::activate(
        &ctx.state,
        &enroller,
        crate::store::MethodId(method_id),
        &code,
        &ip,
    )
    .await
    .map_err(|e| ctx.internal(e))?;
    let refusal = match check {
        CodeCheck::Accepted => None,
        CodeCheck::Incorrect => Some(AppError::CodeIncorrect),
        CodeCheck::AlreadyUsed => Some(AppError::CodeAlreadyUsed),
        CodeCheck::OutOfDate => Some(AppError::CodeOutOfDate),
        CodeCheck::Expired => Some(AppError::EnrolmentExpired),
        CodeCheck::NotFound => Some(AppError::MethodNotFound),
    };
    if let Some(err) = refusal {
        return Err(ctx.refuse(err));
    }
    super::phones::finish_registration(&ctx, &enroller).await
}
