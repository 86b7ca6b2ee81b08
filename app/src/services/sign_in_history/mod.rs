//! My sign-ins: the caller's own events, filtered and paged, in words (`query`
//! checks what the address asks for); the same rows as CSV in `export`.

mod export;
mod query;

pub(crate) use export::spreadsheet_safe;
pub use export::{CSV_HEADER, export_csv};
pub use query::{ParsedQuery, format_cursor, parse_query};

use super::caller::Caller;
use super::time_format::utc_minutes;
use super::user_agent;
use crate::domain::ResultCode;
use crate::domain::history::{HistoryPageView, HistoryRowView};
use crate::state::Services;
use crate::store::sign_in_history::{self, HistoryRow, PageAt};
use time::OffsetDateTime;
use time::macros::format_description;

pub const PAGE_SIZE: i64 = 50;

/// One page of the caller's history.
pub async fn page(
    state: &Services,
    caller: &Caller,
    query: ParsedQuery,
) -> anyhow::Result<HistoryPageView> {
    let (rows, more) = sign_in_history::page(
        &state.db,
        caller.subject.id,
        query.filter,
        query.at,
        PAGE_SIZE,
    )
    .await?;
    // `more` speaks for the direction asked; the other side has rows whenever the
    // page was reached from a cursor (the row at the cursor lies there).
    let (newer_exists, older_exists) = match query.at {
        PageAt::Newest => (false, more),
        PageAt::OlderThan(_) => (true, more),
        PageAt::NewerThan(_) => (more, true),
    };
    let newer = rows
        .first()
        .filter(|_| newer_exists)
        .map(|row| format_cursor(row.cursor()));
    let older = rows
        .last()
        .filter(|_| older_exists)
        .map(|row| format_cursor(row.cursor()));
    Ok(HistoryPageView {
        rows: rows.iter().map(describe).collect(),
        newer,
        older,
    })
}

/// One of the caller's events, in words.
pub async fn event(
    state: &Services,
    caller: &Caller,
    id: i64,
) -> anyhow::Result<Option<HistoryRowView>> {
    let row = sign_in_history::find(&state.db, caller.subject.id, id).await?;
    Ok(row.as_ref().map(describe))
}

pub fn describe(row: &HistoryRow) -> HistoryRowView {
    let code = ResultCode::from_code(row.result_code);
    let (result, detail) = match code {
        Some(code) => (
            code.plain_words().to_owned(),
            format!("{} {}", code.code(), code.description()),
        ),
        None => ("Not completed".to_owned(), row.result_code.to_string()),
    };
    HistoryRowView {
        id: row.id,
        when: utc_minutes(row.occurred_at),
        when_iso: iso_time(row.occurred_at),
        succeeded: row.succeeded,
        result,
        result_detail: detail,
        method: method_words(&row.auth_type, code).to_owned(),
        app: row.app_name.clone(),
        ip: row.ip.clone(),
        device: user_agent::describe(&row.user_agent),
        reported: row.reported,
    }
}

/// The way in that the attempt used, as people name it.
pub(crate) fn method_words(auth_type: &str, code: Option<ResultCode>) -> &'static str {
    use ResultCode as R;
    if auth_type == "app password" {
        return "App password";
    }
    match code {
        Some(
            R::OATHCodeVerified
            | R::FallbackOATHCodeVerified
            | R::OATHCodeIncorrect
            | R::DuplicateOATHCode
            | R::OATHCodeOutOfDate,
        ) => "Code from the app",
        Some(
            R::TextMessageAuthenticated
            | R::TextMessageSent
            | R::TextMessageOTPIncorrect
            | R::TextMessageOTPPlusPINIncorrect
            | R::TextMessageCouldNotBeSent,
        ) => "Text message",
        Some(
            R::PINEntered
            | R::NoPINEntered
            | R::PoundNotPressedAfterEntry
            | R::NoPhoneInputTimedOut
            | R::CallDisconnected
            | R::CallTimedOut
            | R::GotVoicemail
            | R::UserHungUpThePhone
            | R::FraudCodeEntered
            | R::UnableToPlaceCall,
        ) => "Phone call",
        Some(
            R::MobileAppAuthenticated
            | R::MobileAppDenied
            | R::MobileAppNoResponse
            | R::MobileAppNotificationFailed
            | R::FraudReported,
        ) => "App notification",
        Some(R::SecondStepRemembered) => "Password on a remembered browser",
        Some(R::AccessPassAccepted | R::AccessPassIncorrect) => "Temporary access pass",
        Some(R::ViewedByHelpdesk) => "Helpdesk view",
        _ => "Password",
    }
}

pub(crate) fn iso_time(unix_seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix_seconds)
        .ok()
        .and_then(|t| {
            t.format(format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
            ))
            .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_follow_the_result_code() {
        assert_eq!(
            method_words("browser", Some(ResultCode::OATHCodeIncorrect)),
            "Code from the app"
        );
        assert_eq!(
            method_words("app password", Some(ResultCode::AppPasswordAccepted)),
            "App password"
        );
        assert_eq!(
            method_words("browser", Some(ResultCode::PasswordIncorrect)),
            "Password"
        );
    }
}
