//! The second step of sign-in and registration at sign-in ("More information
//! required"). Only a half-signed-in session may call these.

use crate::domain::AppError;
use crate::domain::views::{EnrolmentView, SecondStepView};
use leptos::prelude::*;

/// The methods offered at the second step.
#[server(endpoint = "second_step")]
pub async fn second_step() -> Result<SecondStepView, AppError> {
    use crate::domain::PhoneType;
    use crate::domain::phone_number::mask_e164;
    use crate::domain::views::SecondStepPhone;
    use crate::services::caller::{self, PendingStage};
    use crate::services::default_method;
    use crate::services::security::method_view;
    use crate::store::{UserId, methods, phones};
    let ctx = super::guard::request()?;
    let pending = caller::pending(&ctx.state, ctx.session())
        .await
        .map_err(|e| ctx.internal(e))?;
    let Some(pending) = pending.filter(|p| p.stage == PendingStage::SecondFactor) else {
        return Err(ctx.refuse(AppError::SignInExpired));
    };
    let user = UserId(pending.user_id);
    let rows = methods::list_active(&ctx.state.db, user)
        .await
        .map_err(|e| ctx.internal(e))?;
    let (have, start) = default_method::starting_method(&ctx.state, user)
        .await
        .map_err(|e| ctx.internal(e))?;
    let phone_rows = phones::list_active(&ctx.state.db, user)
        .await
        .map_err(|e| ctx.internal(e))?;
    let sms = have.contains(&crate::domain::SignInMethod::Sms);
    let call = have.contains(&crate::domain::SignInMethod::PhoneCall);
    let phones = phone_rows
        .into_iter()
        .filter(|_| sms || call)
        .map(|p| {
            let takes_sms = PhoneType::parse(&p.phone_type).is_some_and(PhoneType::takes_sms);
            let international = p.international.clone();
            SecondStepPhone {
                method_id: p.method_id,
                masked: mask_e164(&p.e164, &international),
                sms: sms && takes_sms,
                call,
            }
        })
        .collect();
    let app_allowed = have.contains(&crate::domain::SignInMethod::AppCode);
    Ok(SecondStepView {
        methods: rows
            .into_iter()
            .filter(|m| app_allowed && m.kind == methods::KIND_TOTP)
            .map(method_view)
            .collect(),
        phones,
        start: start.map(|m| m.as_str().to_owned()),
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
    complete_second_step(&ctx, &pending, event_id, remember.is_some()).await?;
    leptos_axum::redirect("/account");
    Ok(())
}

/// Signs the half-signed-in session in after a correct second factor, and
/// remembers the browser when asked.
#[cfg(feature = "ssr")]
pub async fn complete_second_step(
    ctx: &super::guard::RequestContext,
    pending: &crate::services::caller::PendingSignIn,
    event_id: i64,
    remember: bool,
) -> Result<(), AppError> {
    use crate::services::sign_in::{SignInNext, SignedIn};
    use crate::store::UserId;
    let user = UserId(pending.user_id);
    let signed_in = SignedIn {
        user_id: user,
        event_id,
        next: SignInNext::Complete { verified: true },
        session_epoch: pending.session_epoch,
    };
    ctx.start_session(signed_in, true).await?;
    if remember {
        remember_this_browser(ctx, user).await?;
    }
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
        &format!("An authenticator app named \"{name}\""),
        &ip,
    )
    .await
    .map_err(|e| ctx.internal(e))?;
    if enroller.registering {
        let signed_in = SignedIn {
            user_id: enroller.user_id,
            event_id: enroller.event_id,
            next: SignInNext::Complete { verified: true },
            session_epoch: enroller.session_epoch,
        };
        ctx.start_session(signed_in, true).await?;
        leptos_axum::redirect("/account");
    }
    Ok(())
}
