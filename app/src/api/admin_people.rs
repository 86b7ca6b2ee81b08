//! What an admin does to a person's account (see `services::admin_actions`). Each
//! function: the admin, the parsed input, one service call, the refusal mapped.

use crate::domain::AppError;
use crate::domain::directory::{BypassGranted, PersonCreated, SetupLinkSent};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn refusal_error(refusal: crate::services::admin_actions::Refusal) -> AppError {
    use crate::services::admin_actions::Refusal;
    match refusal {
        Refusal::NoSuchPerson => AppError::PersonNotFound,
        Refusal::LastAdmin => AppError::LastAdmin,
        Refusal::NoSuchMethod => AppError::MethodNotFound,
        Refusal::NotRecentlyVerified => AppError::ReauthenticationRequired,
    }
}

/// Creates an account: with a generated first password shown here once (the
/// person replaces it at their first sign-in), or with a set-up link e-mailed to
/// the person (`first_password=email`).
#[server(endpoint = "admin_create_person")]
pub async fn admin_create_person(
    username: String,
    display_name: String,
    email: String,
    role: String,
    mfa_state: String,
    first_password: Option<String>,
) -> Result<PersonCreated, AppError> {
    use crate::services::admin_actions::{
        FirstPasswordBy, FirstPasswordGiven, NewPerson, create_person,
    };
    use secrecy::ExposeSecret;
    let (ctx, admin) = super::guard::require_admin().await?;
    let verified = admin
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let person = NewPerson::parse(&username, &display_name, &email, &role, &mfa_state)
        .map_err(|e| ctx.refuse(e))?;
    let by = FirstPasswordBy::parse(first_password.as_deref()).map_err(|e| ctx.refuse(e))?;
    let ip = ctx.client_ip()?.to_string();
    let created = create_person(&ctx.state, &verified, person, by, &ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|e| ctx.refuse(e))?;
    let (first_password, setup_link) = match created.first {
        FirstPasswordGiven::Shown(password) => (Some(password.expose_secret().to_owned()), None),
        FirstPasswordGiven::Emailed(sent) => (None, Some(setup_link_view(sent))),
    };
    Ok(PersonCreated {
        id: created.id.0,
        username: username.trim().to_lowercase(),
        first_password,
        setup_link,
    })
}

#[cfg(feature = "ssr")]
fn setup_link_view(sent: crate::services::admin_actions::SentLink) -> SetupLinkSent {
    SetupLinkSent {
        email: sent.email,
        until: crate::services::time_format::utc_minutes(sent.expires_at),
    }
}

/// E-mails the person a set-up link to choose their password (older links stop
/// working); needs the admin's recent verification.
#[server(endpoint = "admin_send_setup_link")]
pub async fn admin_send_setup_link(user_id: i64) -> Result<SetupLinkSent, AppError> {
    use crate::services::admin_actions::send_setup_link;
    use crate::store::UserId;
    let (ctx, admin) = super::guard::require_admin().await?;
    let verified = admin
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let ip = ctx.client_ip()?.to_string();
    send_setup_link(&ctx.state, &verified, UserId(user_id), &ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map(setup_link_view)
        .map_err(|refusal| ctx.refuse(refusal_error(refusal)))
}

/// Changes name, e-mail and role (never the last active administrator's role).
#[server(endpoint = "admin_edit_profile")]
pub async fn admin_edit_profile(
    user_id: i64,
    display_name: String,
    email: String,
    role: String,
) -> Result<(), AppError> {
    use crate::services::admin_actions::{ProfileEdit, edit_profile};
    use crate::store::UserId;
    let (ctx, admin) = super::guard::require_admin().await?;
    let verified = admin
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let edit = ProfileEdit::parse(&display_name, &email, &role).map_err(|e| ctx.refuse(e))?;
    let ip = ctx.client_ip()?.to_string();
    edit_profile(&ctx.state, &verified, UserId(user_id), edit, &ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| ctx.refuse(refusal_error(refusal)))
}

/// One of the one-click actions (`AccountAction`: lock, unlock, disable, enable,
/// sign out everywhere, forget browsers, require re-registration, cancel bypass).
#[server(endpoint = "admin_account_action")]
pub async fn admin_account_action(user_id: i64, action: String) -> Result<(), AppError> {
    use crate::services::admin_actions::{AccountAction, apply};
    use crate::store::UserId;
    let (ctx, admin) = super::guard::require_admin().await?;
    let action = AccountAction::parse(&action).ok_or_else(|| {
        ctx.refuse(AppError::invalid(
            "action",
            "Choose one of the listed actions.",
        ))
    })?;
    let ip = ctx.client_ip()?.to_string();
    apply(&ctx.state, &admin, UserId(user_id), action, &ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| ctx.refuse(refusal_error(refusal)))
}

/// Sets a temporary password and returns it, once, to read to the person.
#[server(endpoint = "admin_reset_password")]
pub async fn admin_reset_password(user_id: i64) -> Result<String, AppError> {
    use crate::services::admin_actions::reset_password;
    use crate::store::UserId;
    use secrecy::ExposeSecret;
    let (ctx, admin) = super::guard::require_admin().await?;
    let verified = admin
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let ip = ctx.client_ip()?.to_string();
    let temporary = reset_password(&ctx.state, &verified, UserId(user_id), &ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| ctx.refuse(refusal_error(refusal)))?;
    Ok(temporary.expose_secret().to_owned())
}

/// Lets the next sign-in within `seconds` skip the second step once.
#[server(endpoint = "admin_grant_bypass")]
pub async fn admin_grant_bypass(
    user_id: i64,
    seconds: String,
    reason: String,
) -> Result<BypassGranted, AppError> {
    use crate::services::admin_actions::{Bypass, grant_bypass};
    use crate::services::time_format::utc_minutes;
    use crate::store::UserId;
    let (ctx, admin) = super::guard::require_admin().await?;
    let verified = admin
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let bypass = Bypass::parse(&seconds, &reason).map_err(|e| ctx.refuse(e))?;
    let ip = ctx.client_ip()?.to_string();
    let until = grant_bypass(&ctx.state, &verified, UserId(user_id), &bypass, &ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| ctx.refuse(refusal_error(refusal)))?;
    Ok(BypassGranted {
        until: utc_minutes(until),
    })
}

/// Removes one of the person's methods.
#[server(endpoint = "admin_remove_method")]
pub async fn admin_remove_method(user_id: i64, method_id: i64) -> Result<(), AppError> {
    use crate::services::admin_actions::remove_method;
    use crate::store::{MethodId, UserId};
    let (ctx, admin) = super::guard::require_admin().await?;
    let verified = admin
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let ip = ctx.client_ip()?.to_string();
    remove_method(
        &ctx.state,
        &verified,
        UserId(user_id),
        MethodId(method_id),
        &ip,
    )
    .await
    .map_err(|e| ctx.internal(e))?
    .map(|_name| ())
    .map_err(|refusal| ctx.refuse(refusal_error(refusal)))
}

/// Sets the person's phone as the organisation (active at once) and whether
/// sign-in texts or calls it.
#[server(endpoint = "admin_set_org_phone")]
pub async fn admin_set_org_phone(
    user_id: i64,
    number: String,
    phone_type: String,
    use_for: String,
) -> Result<(), AppError> {
    use crate::services::admin_actions::{OrgPhone, OrgPhoneRefusal, set_org_phone};
    use crate::store::UserId;
    let (ctx, admin) = super::guard::require_admin().await?;
    let verified = admin
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let phone = OrgPhone::parse(&number, &phone_type, &use_for).map_err(|e| ctx.refuse(e))?;
    let ip = ctx.client_ip()?.to_string();
    set_org_phone(&ctx.state, &verified, UserId(user_id), phone, &ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| {
            ctx.refuse(match refusal {
                OrgPhoneRefusal::Field(field) => field.into(),
                OrgPhoneRefusal::Action(action) => refusal_error(action),
            })
        })
}

/// Issues a temporary access pass for the person, shown here once. Needs the
/// admin's own recent verification.
#[server(endpoint = "admin_issue_pass")]
pub async fn admin_issue_pass(
    user_id: i64,
) -> Result<crate::domain::helpdesk::IssuedPassView, AppError> {
    use crate::store::UserId;
    let (ctx, admin) = super::guard::require_admin().await?;
    let verified = admin
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let ip = ctx.client_ip()?.to_string();
    crate::services::helpdesk::issue_by_admin(&ctx.state, &verified, UserId(user_id), &ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map(super::helpdesk::pass_view)
        .map_err(|refusal| ctx.refuse(super::helpdesk::refusal_error(refusal)))
}
