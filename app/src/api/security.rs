//! Security info: the caller's methods and remembered browsers, confirming identity
//! before changes, renaming and removing methods.

use crate::domain::AppError;
use crate::domain::views::SecuritySummary;
use leptos::prelude::*;

#[server(endpoint = "security_info")]
pub async fn security_info() -> Result<SecuritySummary, AppError> {
    let (ctx, caller) = super::guard::require_user().await?;
    crate::services::security::info(&ctx.state, &caller)
        .await
        .map_err(|e| ctx.internal(e))
}

/// Confirms identity with a code (or, while no method exists, the password) so
/// methods can be changed for the next ten minutes.
#[server(endpoint = "confirm_identity")]
pub async fn confirm_identity(
    method_id: Option<i64>,
    code: Option<String>,
    password: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::OtpCode;
    use crate::services::caller;
    use crate::services::second_step::{self, CodeAttempt};
    use crate::store::methods;
    let (ctx, caller) = super::guard::require_user().await?;
    let count = |kind: &'static str| methods::count_of_kind(&ctx.state.db, caller.user_id, kind);
    let has_apps = count(methods::KIND_TOTP)
        .await
        .map_err(|e| ctx.internal(e))?
        > 0;
    let has_phones = count(crate::store::phones::KIND_PHONE)
        .await
        .map_err(|e| ctx.internal(e))?
        > 0;
    if !has_apps && has_phones {
        // A phone's code confirms through `verify_phone_sign_in` (purpose "confirm"):
        // once a second factor exists, the password alone is not enough.
        return Err(ctx.refuse(AppError::invalid(
            "password",
            "Confirm with a code sent to your phone instead.",
        )));
    }
    if has_apps {
        let raw = code.unwrap_or_default();
        let code = OtpCode::parse(&raw)
            .map_err(|e| ctx.refuse(AppError::invalid("code", e.to_string())))?;
        let method_id = method_id.ok_or_else(|| ctx.refuse(AppError::MethodNotFound))?;
        let attempt = CodeAttempt {
            method_id,
            code,
            ip: ctx.client_ip()?,
            user_agent: ctx.user_agent(),
        };
        if let Err(refusal) = second_step::verify(&ctx.state, caller.user_id, attempt)
            .await
            .map_err(|e| ctx.internal(e))?
        {
            return Err(ctx.refuse(code_refusal_error(refusal)));
        }
    } else {
        let password = secrecy::SecretString::from(password.unwrap_or_default());
        let ip = ctx.client_ip()?;
        let confirmed =
            crate::services::sign_in::confirm_password(&ctx.state, caller.user_id, password, ip)
                .await
                .map_err(|e| ctx.internal(e))?;
        if !confirmed {
            return Err(ctx.refuse(AppError::invalid("password", "That password is not right.")));
        }
    }
    caller::mark_verified(ctx.session(), ctx.state.clock.now())
        .await
        .map_err(|e| ctx.internal(e))
}

#[server(endpoint = "rename_method")]
pub async fn rename_method(method_id: i64, name: String) -> Result<(), AppError> {
    use crate::domain::MethodName;
    let (ctx, caller) = super::guard::require_user().await?;
    let name = MethodName::parse(&name)
        .map_err(|e| ctx.refuse(AppError::invalid("name", e.to_string())))?;
    let renamed = crate::services::security::rename(&ctx.state, &caller, method_id, &name)
        .await
        .map_err(|e| ctx.internal(e))?;
    if renamed {
        Ok(())
    } else {
        Err(ctx.refuse(AppError::MethodNotFound))
    }
}

#[server(endpoint = "remove_method")]
pub async fn remove_method(method_id: i64) -> Result<(), AppError> {
    use crate::services::security::{self, RemoveRefusal};
    let (ctx, caller) = super::guard::require_user().await?;
    if !caller.recently_verified(ctx.state.clock.now()) {
        return Err(ctx.refuse(AppError::ReauthenticationRequired));
    }
    let ip = ctx.client_ip()?.to_string();
    match security::remove(&ctx.state, &caller, method_id, &ip)
        .await
        .map_err(|e| ctx.internal(e))?
    {
        Ok(()) => Ok(()),
        Err(RemoveRefusal::LastMethodRequired) => Err(ctx.refuse(AppError::LastMethodRequired)),
        Err(RemoveRefusal::SetByOrganisation) => Err(ctx.refuse(AppError::PhoneSetByOrganisation)),
        Err(RemoveRefusal::NotFound) => Err(ctx.refuse(AppError::MethodNotFound)),
    }
}

#[server(endpoint = "forget_device")]
pub async fn forget_device(device_id: i64) -> Result<(), AppError> {
    let (ctx, caller) = super::guard::require_user().await?;
    let ip = ctx.client_ip()?.to_string();
    let forgotten = crate::services::security::revoke_device(&ctx.state, &caller, device_id, &ip)
        .await
        .map_err(|e| ctx.internal(e))?;
    if forgotten {
        Ok(())
    } else {
        Err(ctx.refuse(AppError::MethodNotFound))
    }
}

/// Changes the caller's password; every other session ends and every remembered
/// browser is forgotten.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use crate::services::password_change;
    use secrecy::SecretString;
    let (ctx, caller) = super::guard::require_user().await?;
    let ip = ctx.client_ip()?;
    let outcome = password_change::change(
        &ctx.state,
        &caller,
        SecretString::from(current_password),
        SecretString::from(new_password),
        ip,
    )
    .await
    .map_err(|e| ctx.internal(e))?;
    let epoch = outcome.map_err(|refusal| ctx.refuse(password_refusal_error(refusal)))?;
    crate::services::caller::continue_in_epoch(&ctx.state, ctx.session(), epoch)
        .await
        .map_err(|e| ctx.internal(e))
}

/// The field error for a refused password change (also used by "secure my account").
#[cfg(feature = "ssr")]
pub fn password_refusal_error(
    refusal: crate::services::password_change::ChangeRefusal,
) -> AppError {
    use crate::services::password_change::ChangeRefusal;
    match refusal {
        ChangeRefusal::CurrentWrong => {
            AppError::invalid("current_password", "That is not your current password.")
        }
        ChangeRefusal::Rule(rule) => AppError::invalid("new_password", rule.to_string()),
    }
}

#[cfg(feature = "ssr")]
pub use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {
    use super::super::guard::RequestContext;
    use crate::domain::AppError;
    use crate::services::caller::{self, PendingStage};
    use crate::services::second_step::CodeRefusal;
    use crate::services::time_format::utc_minutes;
    use crate::store::{UserId, methods, users};

    /// Who may register a method right now.
    pub struct Enroller {
        pub user_id: UserId,
        pub username: String,
        pub email: String,
        /// Half-signed-in with registration required; activation completes sign-in.
        pub registering: bool,
        pub event_id: i64,
        /// Only read when `registering`: the epoch the completed sign-in starts in.
        pub session_epoch: i64,
    }

    pub async fn enroller(ctx: &RequestContext) -> Result<Enroller, AppError> {
        if let Some(caller) = ctx.caller_if_any().await? {
            if !caller.recently_verified(ctx.state.clock.now()) {
                return Err(ctx.refuse(AppError::ReauthenticationRequired));
            }
            return Ok(Enroller {
                user_id: caller.user_id,
                username: caller.username,
                email: caller.email,
                registering: false,
                event_id: caller.sign_in_event_id,
                session_epoch: 0,
            });
        }
        let pending = caller::pending(&ctx.state, ctx.session())
            .await
            .map_err(|e| ctx.internal(e))?;
        let Some(pending) = pending.filter(|p| p.stage == PendingStage::MustRegister) else {
            return Err(ctx.refuse(AppError::NotSignedIn));
        };
        let user = users::find_by_id(&ctx.state.db, UserId(pending.user_id))
            .await
            .map_err(|e| ctx.internal(e))?
            .ok_or_else(|| ctx.refuse(AppError::SignInExpired))?;
        Ok(Enroller {
            user_id: user.id,
            username: user.username,
            email: user.email,
            registering: true,
            event_id: pending.event_id,
            session_epoch: pending.session_epoch,
        })
    }

    pub async fn method_name(
        ctx: &RequestContext,
        user: UserId,
        method_id: i64,
    ) -> Result<String, AppError> {
        let rows = methods::list_active(&ctx.state.db, user)
            .await
            .map_err(|e| ctx.internal(e))?;
        Ok(rows
            .into_iter()
            .find(|m| m.id == method_id)
            .map(|m| m.name)
            .unwrap_or_default())
    }

    pub fn code_refusal_error(refusal: CodeRefusal) -> AppError {
        match refusal {
            CodeRefusal::Incorrect => AppError::CodeIncorrect,
            CodeRefusal::AlreadyUsed => AppError::CodeAlreadyUsed,
            CodeRefusal::OutOfDate => AppError::CodeOutOfDate,
            CodeRefusal::Locked { until } => AppError::AccountLocked {
                until: utc_minutes(until),
            },
            CodeRefusal::UnknownMethod => AppError::MethodNotFound,
            CodeRefusal::NotAllowed => AppError::MethodNotAllowed,
        }
    }
}
