//! Bulk imports: the list, one job's dry run and result, its progress, and running
//! it. The upload itself is a plain form post to `/admin/import/upload` (a file).

use crate::domain::AppError;
use crate::domain::import::{ImportJobSummary, ImportJobView, ImportProgress};
use leptos::prelude::*;

#[server(endpoint = "admin_imports")]
pub async fn admin_imports() -> Result<Vec<ImportJobSummary>, AppError> {
    let (ctx, admin) = super::guard::require_admin().await?;
    crate::services::bulk_import::recent(&ctx.state, &admin)
        .await
        .map_err(|e| ctx.internal(e))
}

#[server(endpoint = "admin_import")]
pub async fn admin_import(job_id: i64) -> Result<ImportJobView, AppError> {
    let (ctx, admin) = super::guard::require_admin().await?;
    crate::services::bulk_import::job_view(&ctx.state, &admin, job_id)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| ctx.refuse(AppError::ImportNotFound))
}

#[server(endpoint = "admin_import_progress")]
pub async fn admin_import_progress(job_id: i64) -> Result<ImportProgress, AppError> {
    let (ctx, admin) = super::guard::require_admin().await?;
    crate::services::bulk_import::job_progress(&ctx.state, &admin, job_id)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| ctx.refuse(AppError::ImportNotFound))
}

/// Runs a checked import: it creates and changes accounts, so the admin's own
/// verification must be recent.
#[server(endpoint = "admin_start_import")]
pub async fn admin_start_import(job_id: i64) -> Result<(), AppError> {
    use crate::services::bulk_import::{StartRefusal, start};
    let (ctx, admin) = super::guard::require_admin().await?;
    let verified = admin
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let ip = ctx.client_ip()?.to_string();
    start(&ctx.state, &verified, job_id, &ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| {
            ctx.refuse(match refusal {
                StartRefusal::NoSuchImport => AppError::ImportNotFound,
                StartRefusal::NotWaiting => AppError::ImportNotWaiting,
            })
        })
}
