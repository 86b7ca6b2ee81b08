//! OATH hardware tokens: the list, assigning one, resynchronising one. The seed
//! file is a plain form post to `/admin/tokens/upload`.

use crate::domain::AppError;
use crate::domain::hardware_tokens::TokensView;
use leptos::prelude::*;

/// The tokens; `import` names the upload whose report to show with them.
#[server(endpoint = "admin_tokens")]
pub async fn admin_tokens(import: Option<i64>) -> Result<TokensView, AppError> {
    let (ctx, admin) = super::guard::require_admin().await?;
    crate::services::hardware_tokens::view(&ctx.state, &admin, import)
        .await
        .map_err(|e| ctx.internal(e))
}

/// Gives a person a token (a new way to sign in): the admin's own verification
/// must be recent.
#[server(endpoint = "admin_assign_token")]
pub async fn admin_assign_token(
    username: String,
    serial: String,
    code: String,
) -> Result<(), AppError> {
    let (ctx, admin) = super::guard::require_admin().await?;
    let verified = admin
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let ip = ctx.client_ip()?.to_string();
    crate::services::hardware_tokens::assign(&ctx.state, &verified, &username, &serial, &code, &ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|e| ctx.refuse(e))
}

#[server(endpoint = "admin_resync_token")]
pub async fn admin_resync_token(
    resync_serial: String,
    first_code: String,
    second_code: String,
) -> Result<(), AppError> {
    let (ctx, admin) = super::guard::require_admin().await?;
    let verified = admin
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let ip = ctx.client_ip()?.to_string();
    crate::services::hardware_tokens::resync(
        &ctx.state,
        &verified,
        &resync_serial,
        &first_code,
        &second_code,
        &ip,
    )
    .await
    .map_err(|e| ctx.internal(e))?
    .map_err(|e| ctx.refuse(e))
}
