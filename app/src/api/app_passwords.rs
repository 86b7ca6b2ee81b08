//! App passwords on the Security info page.

use crate::domain::AppError;
use crate::domain::views::{AppPasswordView, NewAppPasswordView};
use leptos::prelude::*;

#[server(endpoint = "app_passwords")]
pub async fn app_passwords() -> Result<Vec<AppPasswordView>, AppError> {
    let (ctx, caller) = super::guard::require_user().await?;
    crate::services::app_passwords::list(&ctx.state, &caller)
        .await
        .map_err(|e| ctx.internal(e))
}

/// Creates an app password and returns its text, this once. Needs a recent second
/// factor, like any change to how one signs in.
#[server(endpoint = "create_app_password")]
pub async fn create_app_password(name: String) -> Result<NewAppPasswordView, AppError> {
    use crate::domain::MethodName;
    use crate::services::app_passwords::{self, CreateRefusal};
    use secrecy::ExposeSecret;
    let (ctx, caller) = super::guard::require_user().await?;
    let name = MethodName::parse(&name)
        .map_err(|e| ctx.refuse(AppError::invalid("name", e.to_string())))?;
    let verified = caller
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let ip = ctx.client_ip()?;
    match app_passwords::create(&ctx.state, &verified, &name, ip)
        .await
        .map_err(|e| ctx.internal(e))?
    {
        Ok(created) => Ok(NewAppPasswordView {
            id: created.id,
            name: created.name,
            created: crate::services::time_format::utc_minutes(created.created_at),
            password: created.password.expose_secret().to_owned(),
        }),
        Err(CreateRefusal::NotAllowed) => Err(ctx.refuse(AppError::invalid(
            "name",
            "Your organisation does not allow app passwords.",
        ))),
        Err(CreateRefusal::AtCap { cap }) => Err(ctx.refuse(AppError::invalid(
            "name",
            format!("You already have {cap} app passwords. Revoke one you no longer use first."),
        ))),
    }
}

/// Revokes one app password; returns its id.
#[server(endpoint = "revoke_app_password")]
pub async fn revoke_app_password(id: i64) -> Result<i64, AppError> {
    let (ctx, caller) = super::guard::require_user().await?;
    let ip = ctx.client_ip()?;
    let revoked = crate::services::app_passwords::revoke(&ctx.state, &caller, id, ip)
        .await
        .map_err(|e| ctx.internal(e))?;
    if revoked {
        Ok(id)
    } else {
        Err(ctx.refuse(AppError::MethodNotFound))
    }
}

/// Revokes every app password of the caller; returns how many.
#[server(endpoint = "revoke_all_app_passwords")]
pub async fn revoke_all_app_passwords() -> Result<u64, AppError> {
    let (ctx, caller) = super::guard::require_user().await?;
    let ip = ctx.client_ip()?;
    crate::services::app_passwords::revoke_all(&ctx.state, &caller, ip)
        .await
        .map_err(|e| ctx.internal(e))
}
