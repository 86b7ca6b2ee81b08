//! The "My account" overview.

use crate::domain::AppError;
use crate::domain::views::AccountView;
use leptos::prelude::*;

#[server(endpoint = "account_overview")]
pub async fn account_overview() -> Result<AccountView, AppError> {
    let (ctx, caller) = super::guard::require_user().await?;
    crate::services::accounts::overview(&ctx.state, &caller)
        .await
        .map_err(|e| ctx.internal(e))
}
