//! The admin's audit-log viewer.

use crate::domain::AppError;
use crate::domain::audit_log::AuditLogPage;
use leptos::prelude::*;

/// One page of the audit log; the arguments are the page address's filters
/// (`AuditQuery`), all optional.
#[server(endpoint = "admin_audit_log")]
pub async fn admin_audit_log(
    actor: Option<String>,
    person: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    before: Option<String>,
) -> Result<AuditLogPage, AppError> {
    use crate::domain::audit_log::AuditQuery;
    use crate::services::audit_log;
    let query = AuditQuery {
        actor,
        person,
        action,
        from,
        to,
        before,
    };
    let (ctx, admin) = super::guard::require_admin().await?;
    let search = audit_log::parse_query(&ctx.state, &query)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|e| ctx.refuse(e))?;
    audit_log::page(&ctx.state, &admin, search)
        .await
        .map_err(|e| ctx.internal(e))
}
