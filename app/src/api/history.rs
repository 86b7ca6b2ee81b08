//! My sign-ins and "This wasn't me".

use crate::domain::AppError;
use crate::domain::history::{FraudReportView, HistoryPageView, HistoryRowView, SecuredView};
use leptos::prelude::*;

/// One page of the caller's own sign-in history. The arguments are the page
/// address's query (`HistoryQuery`); all are optional.
#[server(endpoint = "sign_in_history")]
pub async fn sign_in_history(
    result: Option<String>,
    from: Option<String>,
    to: Option<String>,
    before: Option<String>,
    after: Option<String>,
) -> Result<HistoryPageView, AppError> {
    use crate::domain::history::HistoryQuery;
    use crate::services::sign_in_history;
    let query = HistoryQuery {
        result,
        from,
        to,
        before,
        after,
    };
    let (ctx, caller) = super::guard::require_user().await?;
    let parsed = sign_in_history::parse_query(&query).map_err(|e| ctx.refuse(e))?;
    sign_in_history::page(&ctx.state, &caller, parsed)
        .await
        .map_err(|e| ctx.internal(e))
}

/// One of the caller's sign-ins, for the report page.
#[server(endpoint = "sign_in_event")]
pub async fn sign_in_event(id: i64) -> Result<HistoryRowView, AppError> {
    let (ctx, caller) = super::guard::require_user().await?;
    crate::services::sign_in_history::event(&ctx.state, &caller, id)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| ctx.refuse(AppError::SignInEventNotFound))
}

/// "This wasn't me": records a fraud report and alerts the administrators.
#[server(endpoint = "report_sign_in")]
pub async fn report_sign_in(event_id: i64) -> Result<FraudReportView, AppError> {
    let (ctx, caller) = super::guard::require_user().await?;
    let ip = ctx.client_ip()?;
    crate::services::fraud::report_sign_in(&ctx.state, &caller, event_id, ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| ctx.refuse(AppError::SignInEventNotFound))
}

/// After a report: new password, other sessions ended, remembered browsers and app
/// passwords revoked, in one go. This session carries on.
#[server(endpoint = "secure_account")]
pub async fn secure_account(
    report_id: i64,
    current_password: String,
    new_password: String,
) -> Result<SecuredView, AppError> {
    use crate::services::fraud::{self, SecureRefusal};
    use secrecy::SecretString;
    let (ctx, caller_now) = super::guard::require_user().await?;
    let ip = ctx.client_ip()?;
    let outcome = fraud::secure_account(
        &ctx.state,
        &caller_now,
        report_id,
        SecretString::from(current_password),
        SecretString::from(new_password),
        ip,
    )
    .await
    .map_err(|e| ctx.internal(e))?;
    match outcome {
        Ok((secured, epoch)) => {
            ctx.continue_in_epoch(epoch).await?;
            Ok(secured)
        }
        Err(SecureRefusal::ReportNotFound) => Err(ctx.refuse(AppError::SignInEventNotFound)),
        Err(SecureRefusal::Password(refusal)) => {
            Err(ctx.refuse(super::security::password_refusal_error(refusal)))
        }
    }
}
