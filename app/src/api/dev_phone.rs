//! The development phone (`/dev/phone`): refused unless the portal runs in
//! development mode.

use crate::domain::AppError;
use crate::domain::views::DevPhoneMessageView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn require_dev_mode(ctx: &super::guard::RequestContext) -> Result<(), AppError> {
    if ctx.state.policy.dev_mode {
        Ok(())
    } else {
        Err(ctx.refuse(AppError::NotFound))
    }
}

/// The latest texts and calls, newest first.
#[server(endpoint = "dev_phone_messages")]
pub async fn dev_phone_messages() -> Result<Vec<DevPhoneMessageView>, AppError> {
    use crate::services::time_format::utc_minutes;
    let ctx = super::guard::request()?;
    require_dev_mode(&ctx)?;
    let rows = crate::store::dev_phone::latest(&ctx.state.db, 50)
        .await
        .map_err(|e| ctx.internal(e))?;
    Ok(rows
        .into_iter()
        .map(|m| DevPhoneMessageView {
            id: m.id,
            awaiting_answer: m.call_token.is_some() && m.answer.is_none(),
            kind: m.kind,
            to: m.to_number,
            body: m.body,
            at: utc_minutes(m.created_at),
            answer: m.answer,
        })
        .collect())
}

/// Answers a call: `#` approves, `0#` reports fraud, `hang-up` and `no-answer` end
/// it as a person would.
#[server(endpoint = "dev_phone_answer")]
pub async fn dev_phone_answer(message_id: i64, keys: String) -> Result<String, AppError> {
    use crate::services::phone_calls;
    let ctx = super::guard::request()?;
    require_dev_mode(&ctx)?;
    let keys = keys.trim().to_owned();
    if !matches!(keys.as_str(), "#" | "0#" | "1#" | "hang-up" | "no-answer") {
        return Err(ctx.refuse(AppError::invalid("keys", "Press #, 0#, or end the call.")));
    }
    let token = crate::store::dev_phone::answer(&ctx.state.db, message_id, &keys)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| ctx.refuse(AppError::NotFound))?;
    let state = &ctx.state;
    let speech = match keys.as_str() {
        "hang-up" => {
            phone_calls::finished(state, &token, "completed")
                .await
                .map_err(|e| ctx.internal(e))?;
            "You hung up.".to_owned()
        }
        "no-answer" => {
            phone_calls::finished(state, &token, "no-answer")
                .await
                .map_err(|e| ctx.internal(e))?;
            "The call rang out.".to_owned()
        }
        pressed => {
            let digits = pressed.trim_end_matches('#');
            phone_calls::answered(state, &token, digits)
                .await
                .map_err(|e| ctx.internal(e))?
                .speech()
                .to_owned()
        }
    };
    Ok(speech)
}
