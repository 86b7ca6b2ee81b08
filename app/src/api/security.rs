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
    use crate::services::sign_in_flow::{self, IdentityProof};
    let (ctx, caller) = super::guard::require_user().await?;
    let proof = IdentityProof {
        method_id: method_id.map(crate::store::MethodId),
        code,
        password: password.map(secrecy::SecretString::from),
        ip: ctx.client_ip()?,
        user_agent: ctx.user_agent(),
    };
    sign_in_flow::confirm_identity(&ctx.state, &caller, proof)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| ctx.refuse(confirm_refusal_error(refusal)))?;
    ctx.mark_verified().await
}

#[server(endpoint = "rename_method")]
pub async fn rename_method(method_id: i64, name: String) -> Result<(), AppError> {
    use crate::domain::MethodName;
    let (ctx, caller) = super::guard::require_user().await?;
    let name = MethodName::parse(&name)
        .map_err(|e| ctx.refuse(AppError::invalid("name", e.to_string())))?;
    let renamed = crate::services::security::rename(
        &ctx.state,
        &caller,
        crate::store::MethodId(method_id),
        &name,
    )
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
    let verified = caller
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let ip = ctx.client_ip()?.to_string();
    match security::remove(
        &ctx.state,
        &verified,
        crate::store::MethodId(method_id),
        &ip,
    )
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
    ctx.continue_in_epoch(epoch).await
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
    use crate::domain::AppError;
    use crate::services::second_step::CodeRefusal;
    use crate::services::sign_in_flow::ConfirmRefusal;
    use crate::services::time_format::utc_minutes;

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

    pub fn confirm_refusal_error(refusal: ConfirmRefusal) -> AppError {
        match refusal {
            ConfirmRefusal::Caller(refusal) => refusal.into(),
            ConfirmRefusal::UsePhone => AppError::invalid(
                "password",
                "Confirm with a code sent to your phone instead.",
            ),
            ConfirmRefusal::UsePush => AppError::invalid(
                "password",
                "Confirm with a notification to your authenticator app instead.",
            ),
            ConfirmRefusal::CodeMalformed(message) => AppError::invalid("code", message),
            ConfirmRefusal::NoMethod => AppError::MethodNotFound,
            ConfirmRefusal::Code(refusal) => code_refusal_error(refusal),
            ConfirmRefusal::PasswordWrong => {
                AppError::invalid("password", "That password is not right.")
            }
        }
    }
}
