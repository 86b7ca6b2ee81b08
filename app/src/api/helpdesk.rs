//! The helpdesk area (see `services::helpdesk`): search, a person's status,
//! verifying the caller, unlocking, temporary access passes. Each function: the
//! agent, the parsed input, one service call, the refusal mapped.

use crate::domain::AppError;
use crate::domain::directory::DirectoryPage;
use crate::domain::helpdesk::{CallerVerifiedView, HelpdeskPersonView, IssuedPassView};
use crate::domain::views::PhoneChallengeView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(super) fn refusal_error(refusal: crate::services::helpdesk::HelpRefusal) -> AppError {
    use crate::services::helpdesk::HelpRefusal;
    match refusal {
        HelpRefusal::NoSuchPerson => AppError::PersonNotFound,
        HelpRefusal::NotForThisPerson => AppError::NotHelpable,
        HelpRefusal::NotAllowedByPolicy => AppError::NotAllowedByPolicy,
        HelpRefusal::CallerNotVerified => AppError::CallerNotVerified,
        HelpRefusal::NoSuchMethod => {
            AppError::invalid("method_id", "Choose one of the person's apps or tokens.")
        }
        HelpRefusal::TooManyChecks => AppError::TooManyRequests,
        HelpRefusal::Phone(refusal) => super::phones::phone_refusal_error(refusal),
    }
}

/// The verification as the agent sees it, or the refusal beside the code field.
#[cfg(feature = "ssr")]
fn verified_view(
    ctx: &super::guard::RequestContext,
    outcome: crate::services::helpdesk::CheckOutcome,
    how: &str,
) -> Result<CallerVerifiedView, AppError> {
    use crate::domain::ResultCode;
    use crate::services::helpdesk::CheckOutcome;
    match outcome {
        CheckOutcome::Verified { until } => Ok(CallerVerifiedView {
            how: how.to_owned(),
            until: crate::services::time_format::utc_minutes(until),
        }),
        CheckOutcome::NotVerified(result) => {
            let why = match result {
                ResultCode::DuplicateOATHCode => {
                    "That code was already used. Ask for the next code the app shows."
                }
                ResultCode::OATHCodeOutOfDate => {
                    "That code is out of date: the phone's clock may be wrong."
                }
                ResultCode::TextMessageOTPIncorrect => {
                    "That code is wrong. Ask the caller to read the code they received again."
                }
                _ => "That code is wrong. Ask the caller to read the current code again.",
            };
            Err(ctx.refuse(AppError::invalid(
                "code",
                format!("{why} ({} {})", result.code(), result.description()),
            )))
        }
    }
}

/// The pass as the issuer sees it, this once.
#[cfg(feature = "ssr")]
pub(super) fn pass_view(issued: crate::services::helpdesk::IssuedPass) -> IssuedPassView {
    use secrecy::ExposeSecret;
    IssuedPassView {
        pass: issued.pass.expose_secret().to_owned(),
        valid_until: crate::services::time_format::utc_minutes(issued.expires_at),
        uses: if issued.reusable {
            "as often as needed until then".to_owned()
        } else {
            "once".to_owned()
        },
    }
}

/// People by name, username or e-mail (the admin's search, without its filters).
#[server(endpoint = "helpdesk_search")]
pub async fn helpdesk_search(
    q: Option<String>,
    after: Option<String>,
) -> Result<DirectoryPage, AppError> {
    use crate::domain::directory::DirectoryQuery;
    use crate::services::directory;
    let (ctx, agent) = super::guard::require_helpdesk().await?;
    let query = DirectoryQuery {
        q,
        after,
        ..DirectoryQuery::default()
    };
    let search = directory::parse_query(&query).map_err(|e| ctx.refuse(e))?;
    directory::search(&ctx.state, &agent, search)
        .await
        .map_err(|e| ctx.internal(e))
}

/// One person's status as the helpdesk sees it.
#[server(endpoint = "helpdesk_person")]
pub async fn helpdesk_person(user_id: i64) -> Result<HelpdeskPersonView, AppError> {
    use crate::store::UserId;
    let (ctx, agent) = super::guard::require_helpdesk().await?;
    crate::services::helpdesk::person(&ctx.state, &agent, UserId(user_id))
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| ctx.refuse(AppError::PersonNotFound))
}

/// Checks the code the caller reads from their app or token.
#[server(endpoint = "helpdesk_verify_caller")]
pub async fn helpdesk_verify_caller(
    user_id: i64,
    method_id: String,
    code: String,
) -> Result<CallerVerifiedView, AppError> {
    use crate::domain::OtpCode;
    use crate::services::helpdesk::verify_by_code;
    use crate::store::{MethodId, UserId};
    let (ctx, agent) = super::guard::require_helpdesk().await?;
    let method = method_id.trim().parse::<i64>().map(MethodId).map_err(|_| {
        ctx.refuse(AppError::invalid(
            "method_id",
            "Choose one of the person's apps or tokens.",
        ))
    })?;
    let code =
        OtpCode::parse(&code).map_err(|e| ctx.refuse(AppError::invalid("code", e.to_string())))?;
    let ip = ctx.client_ip()?.to_string();
    let outcome = verify_by_code(&ctx.state, &agent, UserId(user_id), method, &code, &ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| ctx.refuse(refusal_error(refusal)))?;
    verified_view(&ctx, outcome, "a code from their app or token")
}

/// Sends the caller a code by text or call to one of their phones, to read back.
#[server(endpoint = "helpdesk_send_caller_code")]
pub async fn helpdesk_send_caller_code(
    user_id: i64,
    phone_method_id: String,
    channel: String,
) -> Result<PhoneChallengeView, AppError> {
    use crate::domain::PhoneChannel;
    use crate::services::helpdesk::{AgentRequest, send_phone_code};
    use crate::store::{MethodId, UserId};
    let (ctx, agent) = super::guard::require_helpdesk().await?;
    let method = phone_method_id
        .trim()
        .parse::<i64>()
        .map(MethodId)
        .map_err(|_| {
            ctx.refuse(AppError::invalid(
                "phone_method_id",
                "Choose one of the person's phones.",
            ))
        })?;
    let channel = PhoneChannel::parse(&channel)
        .ok_or_else(|| ctx.refuse(AppError::invalid("channel", "Choose a text or a call.")))?;
    let request = AgentRequest {
        ip: ctx.client_ip()?,
        user_agent: &ctx.user_agent(),
    };
    send_phone_code(
        &ctx.state,
        &agent,
        UserId(user_id),
        (method, channel),
        request,
    )
    .await
    .map_err(|e| ctx.internal(e))?
    .map_err(|refusal| ctx.refuse(refusal_error(refusal)))
}

/// Checks the code the caller read from the text or call the agent sent.
#[server(endpoint = "helpdesk_check_caller_code")]
pub async fn helpdesk_check_caller_code(
    user_id: i64,
    challenge_id: i64,
    code: String,
) -> Result<CallerVerifiedView, AppError> {
    use crate::domain::OtpCode;
    use crate::services::helpdesk::{AgentRequest, verify_by_phone_code};
    use crate::store::UserId;
    let (ctx, agent) = super::guard::require_helpdesk().await?;
    let code =
        OtpCode::parse(&code).map_err(|e| ctx.refuse(AppError::invalid("code", e.to_string())))?;
    let request = AgentRequest {
        ip: ctx.client_ip()?,
        user_agent: &ctx.user_agent(),
    };
    let outcome = verify_by_phone_code(
        &ctx.state,
        &agent,
        UserId(user_id),
        challenge_id,
        &code,
        request,
    )
    .await
    .map_err(|e| ctx.internal(e))?
    .map_err(|refusal| ctx.refuse(refusal_error(refusal)))?;
    verified_view(&ctx, outcome, "a code sent to their phone")
}

/// Unlocks the person's account; false when it was not locked.
#[server(endpoint = "helpdesk_unlock")]
pub async fn helpdesk_unlock(user_id: i64) -> Result<bool, AppError> {
    use crate::store::UserId;
    let (ctx, agent) = super::guard::require_helpdesk().await?;
    let ip = ctx.client_ip()?.to_string();
    crate::services::helpdesk::unlock(&ctx.state, &agent, UserId(user_id), &ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| ctx.refuse(refusal_error(refusal)))
}

/// Issues a temporary access pass, shown here once.
#[server(endpoint = "helpdesk_issue_pass")]
pub async fn helpdesk_issue_pass(user_id: i64) -> Result<IssuedPassView, AppError> {
    use crate::store::UserId;
    let (ctx, agent) = super::guard::require_helpdesk().await?;
    let ip = ctx.client_ip()?.to_string();
    crate::services::helpdesk::issue_by_helpdesk(&ctx.state, &agent, UserId(user_id), &ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map(pass_view)
        .map_err(|refusal| ctx.refuse(refusal_error(refusal)))
}

/// Starts viewing the person's portal, read-only, for a reason and some minutes
/// (empty: 15), then opens their account page.
#[server(endpoint = "helpdesk_start_view")]
pub async fn helpdesk_start_view(
    user_id: i64,
    reason: String,
    minutes: String,
) -> Result<(), AppError> {
    use crate::services::helpdesk::view_as;
    use crate::store::UserId;
    let (ctx, agent) = super::guard::require_helpdesk().await?;
    let ip = ctx.client_ip()?;
    let grant = view_as::start(&ctx.state, &agent, UserId(user_id), &reason, &minutes, ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| ctx.refuse(refusal_error(refusal)))?
        .map_err(|field| ctx.refuse(field))?;
    ctx.start_viewing(grant).await?;
    leptos_axum::redirect("/account");
    Ok(())
}

/// Stops viewing and goes back to the person's helpdesk page.
#[server(endpoint = "helpdesk_stop_view")]
pub async fn helpdesk_stop_view() -> Result<(), AppError> {
    use crate::services::helpdesk::view_as::{self, ViewEnd};
    let (ctx, caller) = super::guard::require_user().await?;
    if !caller.is_acting_for_someone() {
        leptos_axum::redirect("/helpdesk");
        return Ok(());
    }
    let ip = ctx.client_ip()?.to_string();
    view_as::end(&ctx.state, &caller, ViewEnd::Stopped, &ip)
        .await
        .map_err(|e| ctx.internal(e))?;
    ctx.stop_viewing().await?;
    leptos_axum::redirect(&format!("/helpdesk/people/{}", caller.subject.id.0));
    Ok(())
}
