//! The admins' fraud queue.

use crate::domain::AppError;
use crate::domain::fraud_queue::{DecisionDone, FraudQueueView};
use leptos::prelude::*;

#[server(endpoint = "admin_fraud_queue")]
pub async fn admin_fraud_queue() -> Result<FraudQueueView, AppError> {
    let (ctx, admin) = super::guard::require_admin().await?;
    crate::services::fraud_queue::queue(&ctx.state, &admin)
        .await
        .map_err(|e| ctx.internal(e))
}

/// Confirms (optionally requiring re-registration and resetting the password) or
/// dismisses a report; `require_reregistration` and `reset_password` are checkbox
/// values, present when ticked.
#[server(endpoint = "admin_decide_report")]
pub async fn admin_decide_report(
    report_id: i64,
    decision: String,
    require_reregistration: Option<String>,
    reset_password: Option<String>,
    notes: String,
) -> Result<DecisionDone, AppError> {
    use crate::services::fraud_queue::{Decision, DecisionRefusal, decide};
    use secrecy::ExposeSecret;
    let (ctx, admin) = super::guard::require_admin().await?;
    let verified = admin
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let decision = Decision::parse(
        &decision,
        require_reregistration.is_some(),
        reset_password.is_some(),
        &notes,
    )
    .map_err(|e| ctx.refuse(e))?;
    let ip = ctx.client_ip()?.to_string();
    let temporary = decide(&ctx.state, &verified, report_id, decision, &ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|DecisionRefusal::NotWaiting| ctx.refuse(AppError::ReportAlreadyDecided))?;
    Ok(DecisionDone {
        temporary_password: temporary.map(|p| p.expose_secret().to_owned()),
    })
}
