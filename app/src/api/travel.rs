//! The default method and travel mode on Security info.

use crate::domain::AppError;
use leptos::prelude::*;

#[server(endpoint = "set_default_method")]
pub async fn set_default_method(method: String) -> Result<String, AppError> {
    let (ctx, caller) = super::guard::require_user().await?;
    let chosen = crate::services::default_method::set_default(&ctx.state, &caller, &method)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|e| ctx.refuse(e))?;
    Ok(chosen.label().to_owned())
}

/// Plans a trip: from the first to the last day (UTC) sign-in starts with `travel_method`.
#[server(endpoint = "add_travel_window")]
pub async fn add_travel_window(
    from: String,
    to: String,
    travel_method: String,
    note: Option<String>,
) -> Result<i64, AppError> {
    use crate::services::default_method::{self, TravelInput};
    let (ctx, caller) = super::guard::require_user().await?;
    let input = TravelInput {
        from: &from,
        to: &to,
        method: &travel_method,
        note: note.as_deref().unwrap_or_default(),
    };
    default_method::add_travel_window(&ctx.state, &caller, input)
        .await
        .map_err(|e| ctx.internal(e))?
        .map_err(|e| ctx.refuse(e))
}

#[server(endpoint = "cancel_travel_window")]
pub async fn cancel_travel_window(window_id: i64) -> Result<i64, AppError> {
    let (ctx, caller) = super::guard::require_user().await?;
    let cancelled =
        crate::services::default_method::cancel_travel_window(&ctx.state, &caller, window_id)
            .await
            .map_err(|e| ctx.internal(e))?;
    if cancelled {
        Ok(window_id)
    } else {
        Err(ctx.refuse(AppError::TravelWindowNotFound))
    }
}
