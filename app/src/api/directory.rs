//! The admin section's directory of people.

use crate::domain::AppError;
use crate::domain::directory::{DirectoryPage, PersonView};
use leptos::prelude::*;

/// One page of people. The arguments are the page address's query
/// (`DirectoryQuery`); all are optional.
#[server(endpoint = "admin_directory")]
pub async fn admin_directory(
    q: Option<String>,
    role: Option<String>,
    mfa: Option<String>,
    status: Option<String>,
    methods: Option<String>,
    after: Option<String>,
) -> Result<DirectoryPage, AppError> {
    use crate::domain::directory::DirectoryQuery;
    use crate::services::directory;
    let query = DirectoryQuery {
        q,
        role,
        mfa,
        status,
        methods,
        after,
    };
    let (ctx, admin) = super::guard::require_admin().await?;
    let search = directory::parse_query(&query).map_err(|e| ctx.refuse(e))?;
    directory::search(&ctx.state, &admin, search)
        .await
        .map_err(|e| ctx.internal(e))
}

/// One person's page: profile, methods, phones, app passwords, browsers, sessions,
/// recent sign-ins and the audit entries about them.
#[server(endpoint = "admin_person")]
pub async fn admin_person(user_id: i64) -> Result<PersonView, AppError> {
    use crate::store::UserId;
    let (ctx, admin) = super::guard::require_admin().await?;
    crate::services::directory::person(&ctx.state, &admin, UserId(user_id))
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| ctx.refuse(AppError::NotFound))
}

/// Sets a person's MFA state (disabled, enabled, enforced). Needs the admin's own
/// recent verification.
#[server(endpoint = "admin_set_mfa_state")]
pub async fn admin_set_mfa_state(user_id: i64, mfa_state: String) -> Result<(), AppError> {
    use crate::domain::MfaState;
    use crate::services::admin_actions::{self, Changed};
    use crate::store::UserId;
    let (ctx, admin) = super::guard::require_admin().await?;
    let verified = admin
        .recently_verified(ctx.state.clock.now())
        .map_err(|refusal| ctx.refuse(refusal))?;
    let new = MfaState::parse(&mfa_state).ok_or_else(|| {
        ctx.refuse(AppError::invalid(
            "mfa_state",
            "Choose one of the listed MFA states.",
        ))
    })?;
    let ip = ctx.client_ip()?.to_string();
    let changed = admin_actions::set_mfa_state(&ctx.state, &verified, UserId(user_id), new, &ip)
        .await
        .map_err(|e| ctx.internal(e))?;
    match changed {
        Changed::From(_) => Ok(()),
        Changed::NoSuchPerson => Err(ctx.refuse(AppError::NotFound)),
    }
}
