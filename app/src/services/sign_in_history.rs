//! My sign-ins: the caller's own events, filtered and paged, in words; and the same
//! rows as CSV, streamed a batch at a time.

use super::caller::Caller;
use super::time_format::utc_minutes;
use super::user_agent;
use crate::domain::AppError;
use crate::domain::ResultCode;
use crate::domain::history::{HistoryPageView, HistoryQuery, HistoryRowView, ResultFilter};
use crate::state::AppState;
use crate::store::sign_in_history::{self, Cursor, HistoryFilter, HistoryRow, PageAt};
use crate::store::{Db, UserId};
use bytes::Bytes;
use futures_util::Stream;
use time::OffsetDateTime;
use time::macros::format_description;

pub const PAGE_SIZE: i64 = 50;
/// Rows per database round trip while exporting.
const EXPORT_BATCH: i64 = 500;

/// A history request, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedQuery {
    pub filter: HistoryFilter,
    pub at: PageAt,
}

/// Checks what the address asked for; errors name the field they concern.
pub fn parse_query(query: &HistoryQuery) -> Result<ParsedQuery, AppError> {
    let result = match non_empty(&query.result) {
        Some(text) => text
            .parse::<ResultFilter>()
            .map_err(|e| AppError::invalid("result", e))?,
        None => ResultFilter::All,
    };
    let from = non_empty(&query.from)
        .map(|text| parse_day(text).map_err(|e| AppError::invalid("from", e)))
        .transpose()?;
    let to = non_empty(&query.to)
        .map(|text| parse_day(text).map_err(|e| AppError::invalid("to", e)))
        .transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(AppError::invalid(
            "to",
            "The end date is before the start date.",
        ));
    }
    let at = match (non_empty(&query.before), non_empty(&query.after)) {
        (Some(cursor), _) => PageAt::OlderThan(parse_cursor(cursor)?),
        (None, Some(cursor)) => PageAt::NewerThan(parse_cursor(cursor)?),
        (None, None) => PageAt::Newest,
    };
    Ok(ParsedQuery {
        filter: HistoryFilter {
            succeeded: result.succeeded(),
            from: from.map(start_of_day),
            // The end date is inclusive: stop at the start of the next day.
            until: to.map(|day| start_of_day(day) + 86_400),
        },
        at,
    })
}

/// One page of the caller's history.
pub async fn page(
    state: &AppState,
    caller: &Caller,
    query: ParsedQuery,
) -> anyhow::Result<HistoryPageView> {
    let (rows, more) =
        sign_in_history::page(&state.db, caller.user_id, query.filter, query.at, PAGE_SIZE).await?;
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
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> anyhow::Result<Option<HistoryRowView>> {
    let row = sign_in_history::find(&state.db, caller.user_id, id).await?;
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
fn method_words(auth_type: &str, code: Option<ResultCode>) -> &'static str {
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
        _ => "Password",
    }
}

pub const CSV_HEADER: [&str; 10] = [
    "time_utc",
    "result",
    "result_code",
    "result_description",
    "method",
    "app",
    "ip",
    "device",
    "user_agent",
    "reported",
];

/// The caller's events matching `filter` as CSV, newest first, produced one batch
/// at a time so an export of a million rows never holds more than a batch.
pub fn export_csv(
    db: Db,
    user: UserId,
    filter: HistoryFilter,
) -> impl Stream<Item = anyhow::Result<Bytes>> + Send + 'static {
    enum Next {
        Header,
        Rows(PageAt),
        Done,
    }
    futures_util::stream::unfold(Next::Header, move |next| {
        let db = db.clone();
        async move {
            match next {
                Next::Header => Some((csv_chunk(&[], true), Next::Rows(PageAt::Newest))),
                Next::Rows(at) => {
                    let batch = sign_in_history::page(&db, user, filter, at, EXPORT_BATCH).await;
                    match batch {
                        Err(e) => Some((Err(e), Next::Done)),
                        Ok((rows, more)) => {
                            let after = match (rows.last(), more) {
                                (Some(last), true) => Next::Rows(PageAt::OlderThan(last.cursor())),
                                _ => Next::Done,
                            };
                            Some((csv_chunk(&rows, false), after))
                        }
                    }
                }
                Next::Done => None,
            }
        }
    })
}

fn csv_chunk(rows: &[HistoryRow], header: bool) -> anyhow::Result<Bytes> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 200));
    if header {
        writer.write_record(CSV_HEADER)?;
    }
    for row in rows {
        let view = describe(row);
        let code = row.result_code.to_string();
        let description = ResultCode::from_code(row.result_code)
            .map(ResultCode::description)
            .unwrap_or_default();
        let time = iso_time(row.occurred_at);
        let reported = if row.reported { "yes" } else { "no" };
        let fields = [
            time.as_str(),
            &view.result,
            &code,
            description,
            &view.method,
            &view.app,
            &view.ip,
            &view.device,
            &row.user_agent,
            reported,
        ];
        writer.write_record(fields.map(|cell| spreadsheet_safe(cell).into_owned()))?;
    }
    Ok(Bytes::from(writer.into_inner()?))
}

/// Cells that a spreadsheet would run as a formula get a leading apostrophe: user
/// agents and app names can be chosen by whoever tried to sign in.
fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err() {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

use super::time_format::{parse_day, start_of_day};

fn iso_time(unix_seconds: i64) -> String {
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

/// A cursor as it travels in the address: `<unix seconds>.<event id>`.
pub fn format_cursor(cursor: Cursor) -> String {
    format!("{}.{}", cursor.occurred_at, cursor.id)
}

fn parse_cursor(text: &str) -> Result<Cursor, AppError> {
    let bad = || {
        AppError::invalid(
            "page",
            "That page link is damaged. Start again from the newest sign-ins.",
        )
    };
    let (at, id) = text.split_once('.').ok_or_else(bad)?;
    Ok(Cursor {
        occurred_at: at.parse().map_err(|_| bad())?,
        id: id.parse().map_err(|_| bad())?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(result: &str, from: &str, to: &str) -> HistoryQuery {
        HistoryQuery {
            result: Some(result.to_owned()),
            from: Some(from.to_owned()),
            to: Some(to.to_owned()),
            ..HistoryQuery::default()
        }
    }

    #[test]
    fn dates_cover_whole_utc_days_inclusive() {
        let parsed = parse_query(&query("failure", "2026-11-01", "2026-11-01")).unwrap();
        assert_eq!(parsed.filter.succeeded, Some(false));
        assert_eq!(parsed.filter.from, Some(1_793_491_200));
        assert_eq!(parsed.filter.until, Some(1_793_491_200 + 86_400));
        assert_eq!(parsed.at, PageAt::Newest);
    }

    #[test]
    fn bad_input_names_its_field() {
        let err = parse_query(&query("all", "01/11/2026", "")).unwrap_err();
        assert!(err.for_field("from").is_some());
        let err = parse_query(&query("all", "2026-11-02", "2026-11-01")).unwrap_err();
        assert!(err.for_field("to").is_some());
        let err = parse_query(&query("maybe", "", "")).unwrap_err();
        assert!(err.for_field("result").is_some());
        let damaged = HistoryQuery {
            before: Some("12;DROP".to_owned()),
            ..HistoryQuery::default()
        };
        assert!(
            parse_query(&damaged)
                .unwrap_err()
                .for_field("page")
                .is_some()
        );
    }

    #[test]
    fn cursors_round_trip() {
        let cursor = Cursor {
            occurred_at: 1_795_000_000,
            id: 42,
        };
        let text = format_cursor(cursor);
        let parsed = parse_query(&HistoryQuery {
            after: Some(text),
            ..HistoryQuery::default()
        })
        .unwrap();
        assert_eq!(parsed.at, PageAt::NewerThan(cursor));
    }

    #[test]
    fn formula_cells_are_defused_and_numbers_left_alone() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("-101"), "-101");
        assert_eq!(spreadsheet_safe("Firefox on Linux"), "Firefox on Linux");
    }

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
