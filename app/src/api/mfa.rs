//! The second step of sign-in and registration at sign-in ("More information
//! required"). Only a half-signed-in session may call these.

use crate::domain::AppError;
use crate::domain::views::{EnrolmentView, SecondStepView};
use leptos::prelude::*;

/// The methods offered at the second step.
#[server(endpoint = "second_step")]
pub async fn second_step() -> Result<SecondStepView, AppError> {
    use crate::services::caller::{self, PendingStage};
    use crate::services::security::method_view;
    use crate::store::{UserId, methods};
    let ctx = super::guard::request()?;
    let pending = caller::pending(&ctx.state, ctx.session())
        .await
        .map_err(|e| ctx.internal(e))?;
    let Some(pending) = pending.filter(|p| p.stage == PendingStage::SecondFactor) else {
        return Err(ctx.refuse(AppError::SignInExpired));
    };
    let rows = methods::list_active(&ctx.state.db, UserId(pending.user_id))
        .await
        .map_err(|e| ctx.internal(e))?;
    Ok(SecondStepView {
        methods: rows.into_iter().map(method_view).collect(),
        remember_days: ctx.state.policy.remember_mfa_days,
    })
}

/// Checks the code and completes the sign-in.
#[server(endpoint = "verify_second_step")]
pub async fn verify_second_step(
    method_id: i64,
    code: String,
    remember: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::OtpCode;
    use crate::services::caller::{self, PendingStage};
    use crate::services::second_step::{self, CodeAttempt};
    use crate::services::sign_in::{SignInNext, SignedIn};
    use crate::store::UserId;
    let ctx = super::guard::request()?;
    let code =
        OtpCode::parse(&code).map_err(|e| ctx.refuse(AppError::invalid("code", e.to_string())))?;
    let pending = caller::pending(&ctx.state, ctx.session())
        .await
        .map_err(|e| ctx.internal(e))?;
    let Some(pending) = pending.filter(|p| p.stage == PendingStage::SecondFactor) else {
        return Err(ctx.refuse(AppError::SignInExpired));
    };
    let user = UserId(pending.user_id);
    let attempt = CodeAttempt {
        method_id,
        code,
        ip: ctx.client_ip()?,
        user_agent: ctx.user_agent(),
    };
    let event_id = match second_step::verify(&ctx.state, user, attempt)
        .await
        .map_err(|e| ctx.internal(e))?
    {
        Ok(event_id) => event_id,
        Err(refusal) => return Err(ctx.refuse(super::security::code_refusal_error(refusal))),
    };
    let now = ctx.state.clock.now();
    let signed_in = SignedIn {
        user_id: user,
        event_id,
        next: SignInNext::Complete { verified: true },
        session_epoch: pending.session_epoch,
    };
    caller::start_session(ctx.session(), signed_in, now, true)
        .await
        .map_err(|e| ctx.internal(e))?;
    if remember.is_some() {
        remember_this_browser(&ctx, user).await?;
    }
    leptos_axum::redirect("/account");
    Ok(())
}

#[cfg(feature = "ssr")]
async fn remember_this_browser(
    ctx: &super::guard::RequestContext,
    user: crate::store::UserId,
) -> Result<(), AppError> {
    use crate::services::{remembered, user_agent};
    let label = user_agent::describe(&ctx.user_agent());
    let token = remembered::remember(&ctx.state, user, &label)
        .await
        .map_err(|e| ctx.internal(e))?;
    if let Some(token) = token {
        let policy = &ctx.state.policy;
        let max_age = policy.remember_mfa_days * 86_400;
        let (name, secure) = remembered_cookie(policy.secure_cookies);
        ctx.set_cookie(&format!(
            "{name}={token}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Lax{secure}"
        ));
    }
    Ok(())
}

/// The remembered-device cookie's name and `Secure` flag for this deployment.
#[cfg(feature = "ssr")]
pub fn remembered_cookie(secure: bool) -> (String, &'static str) {
    use crate::services::remembered::COOKIE_NAME;
    if secure {
        (format!("__Host-{COOKIE_NAME}"), "; Secure")
    } else {
        (COOKIE_NAME.to_owned(), "")
    }
}

/// Starts registering an authenticator app: signed in and recently verified, or
/// half-signed-in with registration required.
#[server(endpoint = "begin_authenticator")]
pub async fn begin_authenticator(name: String) -> Result<EnrolmentView, AppError> {
    use crate::domain::MethodName;
    use crate::services::authenticator::{self, Owner};
    let ctx = super::guard::request()?;
    let name = MethodName::parse(&name)
        .map_err(|e| ctx.refuse(AppError::invalid("name", e.to_string())))?;
    let enroller = super::security::enroller(&ctx).await?;
    let owner = Owner {
        id: enroller.user_id,
        username: &enroller.username,
    };
    authenticator::begin(&ctx.state, &owner, &name)
        .await
        .map_err(|e| ctx.internal(e))
}

/// Activates the app with its first code; when registering at sign-in, this also
/// completes the sign-in.
#[server(endpoint = "activate_authenticator")]
pub async fn activate_authenticator(method_id: i64, code: String) -> Result<(), AppError> {
    use crate::domain::OtpCode;
    use crate::services::authenticator::{self, CodeCheck};
    use crate::services::caller;
    use crate::services::security;
    use crate::services::sign_in::{SignInNext, SignedIn};
    let ctx = super::guard::request()?;
    let code =
        OtpCode::parse(&code).map_err(|e| ctx.refuse(AppError::invalid("code", e.to_string())))?;
    let enroller = super::security::enroller(&ctx).await?;
    let check = authenticator::activate(&ctx.state, enroller.user_id, method_id, &code)
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
    let ip = ctx.client_ip()?.to_string();
    let name = super::security::method_name(&ctx, enroller.user_id, method_id).await?;
    security::method_added(
        &ctx.state,
        enroller.user_id,
        &enroller.username,
        &enroller.email,
        &name,
        &ip,
    )
    .await
    .map_err(|e| ctx.internal(e))?;
    let now = ctx.state.clock.now();
    if enroller.registering {
        let signed_in = SignedIn {
            user_id: enroller.user_id,
            event_id: enroller.event_id,
            next: SignInNext::Complete { verified: true },
            session_epoch: enroller.session_epoch,
        };
        caller::start_session(ctx.session(), signed_in, now, true)
            .await
            .map_err(|e| ctx.internal(e))?;
        leptos_axum::redirect("/account");
    }
    Ok(())
}
