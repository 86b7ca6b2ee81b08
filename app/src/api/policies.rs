//! The admin's policies page.

use crate::domain::AppError;
use crate::domain::policy::PoliciesView;
use leptos::prelude::*;

/// Every run-time setting, and the policy changes since `since` (YYYY-MM-DD).
#[server(endpoint = "admin_policies")]
pub async fn admin_policies(since: Option<String>) -> Result<PoliciesView, AppError> {
    let (ctx, admin) = super::guard::require_admin().await?;
    crate::services::policies::view(&ctx.state, &admin, since.as_deref())
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|e| ctx.refuse(e))
}

/// Changes one setting. Needs the admin's own recent verification.
#[server(endpoint = "admin_set_policy")]
pub async fn admin_set_policy(key: String, value: String) -> Result<(), AppError> {
    let (ctx, admin) = super::guard::require_admin().await?;
    let verified = admin
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let ip = ctx.client_ip()?.to_string();
    crate::services::policies::change(&ctx.state, &verified, &key, &value, &ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|e| ctx.refuse(e))
}
