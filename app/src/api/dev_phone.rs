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

/// Answers a call as a person would: typing keys (reported like the gateway does:
/// up to the `#`, and nothing at all when nothing came before it), hanging up, or
/// not answering.
#[server(endpoint = "dev_phone_answer")]
pub async fn dev_phone_answer(message_id: i64, keys: String) -> Result<String, AppError> {
    use crate::providers::phone::keys_reported;
    use crate::services::phone_calls;
    let ctx = super::guard::request()?;
    require_dev_mode(&ctx)?;
    let keys = keys.trim().to_owned();
    let typed = keys
        .chars()
        .all(|c| c.is_ascii_digit() || c == '#' || c == '*');
    let ended = matches!(keys.as_str(), "hang-up" | "no-answer");
    if keys.is_empty() || keys.len() > 12 || !(typed || ended) {
        return Err(ctx.refuse(AppError::invalid(
            "keys",
            "Type keys (digits, # and *), or end the call.",
        )));
    }
    let token = crate::store::dev_phone::answer(&ctx.state.db, message_id, &keys)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| ctx.refuse(AppError::NotFound))?;
    let state = &ctx.state;
    let (status, speech) = match keys.as_str() {
        "hang-up" => ("completed", "You hung up."),
        "no-answer" => ("no-answer", "The call rang out."),
        typed => match keys_reported(typed) {
            Some(digits) => {
                let outcome = phone_calls::answered(state, &token, &digits)
                    .await
                    .map_err(|e| ctx.internal(e))?;
                return Ok(outcome.speech().to_owned());
            }
            // Like the gateway: no keys before # or the timeout is no answer at all.
            None => ("completed", "We did not get an answer. Goodbye."),
        },
    };
    phone_calls::finished(state, &token, status)
        .await
        .map_err(|e| ctx.internal(e))?;
    Ok(speech.to_owned())
}
