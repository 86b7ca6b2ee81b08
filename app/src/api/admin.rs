//! Landing data for the admin and helpdesk areas.

use crate::domain::AppError;
use crate::domain::views::{AdminSummary, LockedAccountView};
use leptos::prelude::*;

#[server(endpoint = "admin_overview")]
pub async fn admin_overview() -> Result<AdminSummary, AppError> {
    use crate::domain::Role;
    let (ctx, _admin) = super::guard::require_role(Role::Admin).await?;
    crate::services::overview::admin(&ctx.state)
        .await
        .map_err(|e| ctx.internal(e))
}

/// The admin dashboard: sign-ins by outcome and method, coverage, reports,
/// accounts and message delivery.
#[server(endpoint = "admin_dashboard")]
pub async fn admin_dashboard() -> Result<crate::domain::dashboard::DashboardView, AppError> {
    let (ctx, admin) = super::guard::require_admin().await?;
    crate::services::dashboard::view(&ctx.state, &admin)
        .await
        .map_err(|e| ctx.internal(e))
}

#[server(endpoint = "helpdesk_locked_accounts")]
pub async fn helpdesk_locked_accounts() -> Result<Vec<LockedAccountView>, AppError> {
    use crate::domain::Role;
    let (ctx, _agent) = super::guard::require_role(Role::Helpdesk).await?;
    crate::services::overview::locked_accounts(&ctx.state)
        .await
        .map_err(|e| ctx.internal(e))
}
