//! Choosing one's password from an e-mailed set-up link (see
//! `services::setup_links`). Signed-out: the link's token is the proof.

use crate::domain::AppError;
use crate::domain::views::SetupLinkView;
use leptos::prelude::*;

/// Whose account the link sets up; `SetupLinkOver` when it no longer works.
#[server(endpoint = "setup_link")]
pub async fn setup_link(token: String) -> Result<SetupLinkView, AppError> {
    use crate::services::setup_links;
    let ctx = super::guard::request()?;
    let holder = setup_links::holder(&ctx.state, &token)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| ctx.refuse(AppError::SetupLinkOver))?;
    Ok(SetupLinkView {
        username: holder.username,
        display_name: holder.display_name,
    })
}

/// Sets the password from the link, then sends the browser to sign in with it.
#[server(endpoint = "set_up_password")]
pub async fn set_up_password(token: String, new_password: String) -> Result<(), AppError> {
    use crate::services::setup_links::{SetupRefusal, set_password};
    use secrecy::SecretString;
    let ctx = super::guard::request()?;
    let ip = ctx.client_ip()?;
    set_password(&ctx.state, &token, SecretString::from(new_password), ip)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|refusal| {
            ctx.refuse(match refusal {
                SetupRefusal::LinkOver => AppError::SetupLinkOver,
                SetupRefusal::Rule(rule) => AppError::invalid("new_password", rule.to_string()),
                SetupRefusal::TooManyFromAddress => AppError::TooManyRequests,
            })
        })?;
    leptos_axum::redirect("/set-up/done");
    Ok(())
}
