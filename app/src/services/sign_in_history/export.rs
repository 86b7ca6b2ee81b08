//! The sign-in history as CSV, streamed a batch at a time, with cells a
//! spreadsheet would run as formulas defused.

use super::{describe, iso_time};
use crate::domain::ResultCode;
use crate::store::sign_in_history::{self, HistoryFilter, HistoryRow, PageAt};
use crate::store::{Db, UserId};
use bytes::Bytes;
use futures_util::Stream;

/// Rows per database round trip while exporting.
const EXPORT_BATCH: i64 = 500;

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
pub(crate) fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err() {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused_and_numbers_left_alone() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("-101"), "-101");
        assert_eq!(spreadsheet_safe("Firefox on Linux"), "Firefox on Linux");
    }
}
