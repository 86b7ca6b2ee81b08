//! The job's rows as CSV: before the run, the dry run's finding for each row; after
//! it, what the run did. Streamed a page of rows at a time.

use crate::services::caller::Admin;
use crate::services::sign_in_history::spreadsheet_safe;
use crate::store::Db;
use crate::store::import_jobs::{self, StoredRow};
use bytes::Bytes;
use futures_util::Stream;

const PAGE: i64 = 1_000;
const HEADER: [&str; 6] = [
    "line",
    "username",
    "display_name",
    "email",
    "result",
    "detail",
];

pub fn result_csv(
    db: Db,
    _admin: &Admin,
    job_id: i64,
) -> impl Stream<Item = anyhow::Result<Bytes>> + Send + 'static {
    enum Next {
        Header,
        After(i64),
        Done,
    }
    futures_util::stream::unfold(Next::Header, move |next| {
        let db = db.clone();
        async move {
            match next {
                Next::Header => Some((chunk(&[], true), Next::After(0))),
                Next::After(line) => match import_jobs::rows_after(&db, job_id, line, PAGE).await {
                    Err(e) => Some((Err(e), Next::Done)),
                    Ok(rows) if rows.is_empty() => None,
                    Ok(rows) => {
                        let last = rows.last().map_or(line, |r| r.line);
                        Some((chunk(&rows, false), Next::After(last)))
                    }
                },
                Next::Done => None,
            }
        }
    })
}

/// "created" … "failed" after the run; "problem" or "will create" … before it.
fn result_word(row: &StoredRow) -> String {
    match (row.outcome, &row.problem, row.planned) {
        (Some(outcome), _, _) => outcome.as_str().to_owned(),
        (None, Some(_), _) => "problem".to_owned(),
        (None, None, Some(plan)) => format!("will {}", plan.as_str()),
        (None, None, None) => String::new(),
    }
}

fn chunk(rows: &[StoredRow], header: bool) -> anyhow::Result<Bytes> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 100));
    if header {
        writer.write_record(HEADER)?;
    }
    for row in rows {
        let line = row.line.to_string();
        let result = result_word(row);
        let detail = row
            .detail
            .as_deref()
            .or(row.problem.as_deref())
            .unwrap_or("");
        let fields = [
            line.as_str(),
            &row.username,
            &row.display_name,
            &row.email,
            &result,
            detail,
        ];
        writer.write_record(fields.map(|cell| spreadsheet_safe(cell).into_owned()))?;
    }
    Ok(Bytes::from(writer.into_inner()?))
}
