//! Signing in and out, and who is signed in.

use crate::domain::AppError;
use crate::domain::views::CallerView;
use leptos::prelude::*;

/// Checks the password and starts a session. `next` is where to go afterwards; only
/// paths on this site are followed.
#[server(endpoint = "sign_in")]
pub async fn sign_in(
    username: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::services::sign_in::{SignInAttempt, SignInRefusal, sign_in};
    use secrecy::{ExposeSecret, SecretString};

    let ctx = super::guard::request()?;
    let password = SecretString::from(password);
    if username.trim().is_empty() {
        return Err(ctx.refuse(AppError::invalid("username", "Enter your username.")));
    }
    if password.expose_secret().is_empty() {
        return Err(ctx.refuse(AppError::invalid("password", "Enter your password.")));
    }
    let (cookie_name, _) = super::guard::remembered_cookie(ctx.state.policy.secure_cookies);
    let attempt = SignInAttempt {
        username_typed: username,
        password,
        ip: ctx.client_ip()?,
        user_agent: ctx.user_agent(),
        device_token: ctx.cookie(&cookie_name),
    };
    match sign_in(&ctx.state, attempt)
        .await
        .map_err(|e| ctx.internal(e))?
    {
        Ok(signed_in) => continue_sign_in(&ctx, signed_in, next.as_deref()).await,
        Err(SignInRefusal::InvalidCredentials) => Err(ctx.refuse(AppError::InvalidCredentials)),
        Err(SignInRefusal::Blocked) => Err(ctx.refuse(AppError::AccountBlocked)),
        Err(SignInRefusal::Disabled) => Err(ctx.refuse(AppError::AccountDisabled)),
        Err(SignInRefusal::TooManyFromAddress) => Err(ctx.refuse(AppError::TooManyRequests)),
    }
}

/// Signs in with a temporary access pass from the helpdesk or an administrator:
/// both steps at once, then Security info to register a new method.
#[server(endpoint = "sign_in_with_pass")]
pub async fn sign_in_with_pass(username: String, pass: String) -> Result<(), AppError> {
    use crate::services::helpdesk::{PassAttempt, normalise_pass, sign_in_with_pass};
    use crate::services::sign_in::SignInRefusal;
    use secrecy::SecretString;

    let ctx = super::guard::request()?;
    if username.trim().is_empty() {
        return Err(ctx.refuse(AppError::invalid("username", "Enter your username.")));
    }
    if normalise_pass(&pass).is_empty() {
        return Err(ctx.refuse(AppError::invalid(
            "pass",
            "Enter the pass the helpdesk read to you.",
        )));
    }
    let attempt = PassAttempt {
        username_typed: username,
        pass: SecretString::from(pass),
        ip: ctx.client_ip()?,
        user_agent: ctx.user_agent(),
    };
    match sign_in_with_pass(&ctx.state, attempt)
        .await
        .map_err(|e| ctx.internal(e))?
    {
        Ok(signed_in) => {
            ctx.start_session(signed_in, true).await?;
            leptos_axum::redirect("/security?signed_in_with=pass");
            Ok(())
        }
        Err(SignInRefusal::InvalidCredentials) => Err(ctx.refuse(AppError::invalid(
            "pass",
            "That username and pass do not match a valid pass. Passes expire; ask the helpdesk for a new one.",
        ))),
        Err(SignInRefusal::Blocked) => Err(ctx.refuse(AppError::AccountBlocked)),
        Err(SignInRefusal::Disabled) => Err(ctx.refuse(AppError::AccountDisabled)),
        Err(SignInRefusal::TooManyFromAddress) => Err(ctx.refuse(AppError::TooManyRequests)),
    }
}

/// After a correct password (or a replaced temporary one): starts the session, or
/// the half-signed-in stage still due, and sends the browser where it goes next.
#[cfg(feature = "ssr")]
async fn continue_sign_in(
    ctx: &super::guard::RequestContext,
    signed_in: crate::services::sign_in::SignedIn,
    next: Option<&str>,
) -> Result<(), AppError> {
    use crate::services::caller::PendingStage;
    use crate::services::sign_in::SignInNext;
    let (stage, target) = match signed_in.next {
        SignInNext::Complete { verified } => {
            ctx.start_session(signed_in, verified).await?;
            leptos_axum::redirect(&safe_next(next));
            return Ok(());
        }
        SignInNext::SecondFactor => (PendingStage::SecondFactor, "/sign-in/verify"),
        SignInNext::MustRegister => (PendingStage::MustRegister, "/sign-in/register"),
        SignInNext::MustChangePassword => (PendingStage::NewPassword, "/sign-in/new-password"),
    };
    ctx.start_pending(signed_in, stage).await?;
    leptos_axum::redirect(target);
    Ok(())
}

/// Replaces the temporary password an administrator set, then the sign-in goes on
/// (second step, registration, or signed in).
#[server(endpoint = "set_new_password")]
pub async fn set_new_password(new_password: String) -> Result<(), AppError> {
    use crate::services::caller::PendingStage;
    use crate::services::temporary_password::{NewPasswordRefusal, Replacement, replace_temporary};
    use secrecy::SecretString;
    let ctx = super::guard::request()?;
    let pending = ctx.pending(PendingStage::NewPassword).await?;
    let (cookie_name, _) = super::guard::remembered_cookie(ctx.state.policy.secure_cookies);
    let device_token = ctx.cookie(&cookie_name);
    let user_agent = ctx.user_agent();
    let replacement = Replacement {
        new: SecretString::from(new_password),
        ip: ctx.client_ip()?,
        user_agent: &user_agent,
        device_token: device_token.as_deref(),
    };
    let signed_in = replace_temporary(&ctx.state, &pending, replacement)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| {
            ctx.refuse(match refusal {
                NewPasswordRefusal::Rule(rule) => {
                    AppError::invalid("new_password", rule.to_string())
                }
                NewPasswordRefusal::SignInOver => AppError::SignInExpired,
            })
        })?;
    continue_sign_in(&ctx, signed_in, None).await
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let ctx = super::guard::request()?;
    ctx.sign_out().await?;
    leptos_axum::redirect("/sign-in");
    Ok(())
}

/// Ends every other session of the caller; this one continues under a new id.
#[server(endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::services::sessions;
    let (ctx, caller) = super::guard::require_user().await?;
    let ip = ctx.client_ip()?.to_string();
    let epoch = sessions::sign_out_everywhere_else(&ctx.state, &caller, &ip)
        .await
        .map_err(|e| ctx.internal(e))?;
    ctx.continue_in_epoch(epoch).await
}

/// The signed-in person, or `None`.
#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<CallerView>, AppError> {
    use crate::domain::views::ViewingView;
    use crate::services::helpdesk::view_as;
    let ctx = super::guard::request()?;
    let Some(caller) = ctx.caller_if_any().await? else {
        return Ok(None);
    };
    let mut viewing = None;
    if caller.is_acting_for_someone() {
        // Every page asks this once while it renders (its path is the page's): each
        // page the agent opens while viewing is recorded.
        if !ctx.path().starts_with("/api/") {
            let ip = ctx.client_ip()?.to_string();
            view_as::page_opened(&ctx.state, &caller, ctx.path(), &ip)
                .await
                .map_err(|e| ctx.internal(e))?;
        }
        viewing = ctx.viewing_grant().await?.map(|grant| ViewingView {
            subject_id: grant.subject,
            reason: grant.reason,
            until: crate::services::time_format::utc_minutes(grant.until),
        });
    }
    Ok(Some(CallerView {
        username: caller.subject.username,
        display_name: caller.subject.display_name,
        role: caller.actor.role,
        viewing,
    }))
}

/// Only local absolute paths in printable ASCII: no scheme, no `//host`, no
/// backslash tricks, nothing a `Location` header cannot carry as it is.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && path.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            path.to_owned()
        }
        _ => "/account".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/admin")), "/admin");
        for hostile in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "admin",
            "/a\r\nb",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/account", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/account");
        assert_eq!(safe_next(Some("/caf\u{e9}")), "/account");
        assert_eq!(safe_next(Some("/a b")), "/account");
    }

    proptest::proptest! {
        #[test]
        fn any_next_target_gives_a_local_ascii_path(next in proptest::prelude::any::<String>()) {
            let target = safe_next(Some(&next));
            proptest::prop_assert!(target.starts_with('/') && !target.starts_with("//"));
            proptest::prop_assert!(target.bytes().all(|b| b.is_ascii_graphic()));
        }
    }
}
