//! The admin's audit-log viewer: filters by actor, person, action and days, keyset
//! pages newest first, and the same entries as a streamed CSV file.

use super::caller::Admin;
use super::sign_in_history::iso_time;
use super::sign_in_history::spreadsheet_safe;
use super::time_format::{parse_day, start_of_day, utc_minutes};
use crate::domain::audit_log::{AuditLogPage, AuditLogRow, AuditQuery};
use crate::domain::{AuditAction, FieldError, Username};
use crate::state::Services;
use crate::store::audit_log::{self, AuditFilter};
use crate::store::{Db, users};
use bytes::Bytes;
use futures_util::Stream;

pub const PAGE_SIZE: i64 = 50;
const EXPORT_BATCH: i64 = 1_000;
const CSV_HEADER: [&str; 7] = [
    "time_utc",
    "actor",
    "person",
    "action",
    "action_label",
    "detail",
    "ip",
];

/// A checked query: the filter and where the page starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditSearch {
    pub filter: AuditFilter,
    pub before: Option<i64>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Checks the address's filters; a bad one is refused next to its field. A person
/// who does not exist is refused too (rather than showing an empty log).
pub async fn parse_query(
    state: &Services,
    query: &AuditQuery,
) -> anyhow::Result<Result<AuditSearch, FieldError>> {
    let day = |field: &'static str, value: &Option<String>| match given(value) {
        None => Ok(None),
        Some(text) => parse_day(text)
            .map(|d| Some(start_of_day(d)))
            .map_err(|message| FieldError::new(field, message)),
    };
    let from = match day("from", &query.from) {
        Ok(from) => from,
        Err(e) => return Ok(Err(e)),
    };
    let until = match day("to", &query.to) {
        Ok(to) => to.map(|start| start + 86_400),
        Err(e) => return Ok(Err(e)),
    };
    if let (Some(from), Some(until)) = (from, until)
        && until <= from
    {
        return Ok(Err(FieldError::new(
            "to",
            "The last day is before the first day.",
        )));
    }
    let action = match given(&query.action) {
        None => None,
        Some(text) => match AuditAction::parse(text) {
            Some(action) => Some(action),
            None => {
                return Ok(Err(FieldError::new(
                    "action",
                    "Choose one of the listed actions.",
                )));
            }
        },
    };
    let subject = match given(&query.person) {
        None => None,
        Some(text) => {
            let found = match Username::parse(text) {
                Ok(name) => users::find_by_username(&state.db, &name).await?,
                Err(_) => None,
            };
            match found {
                Some(user) => Some(user.id),
                None => {
                    return Ok(Err(FieldError::new(
                        "person",
                        "No person has this username.",
                    )));
                }
            }
        }
    };
    let actor = given(&query.actor).map(|a| a.to_lowercase());
    if actor.as_ref().is_some_and(|a| a.chars().count() > 100) {
        return Ok(Err(FieldError::new(
            "actor",
            "Enter at most 100 characters.",
        )));
    }
    let before = match given(&query.before) {
        None => None,
        Some(text) => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                return Ok(Err(FieldError::new(
                    "before",
                    "This page link is broken. Start again.",
                )));
            }
        },
    };
    Ok(Ok(AuditSearch {
        filter: AuditFilter {
            actor,
            subject,
            action,
            from,
            until,
        },
        before,
    }))
}

fn row_view(row: audit_log::AuditLogRow) -> AuditLogRow {
    AuditLogRow {
        when: utc_minutes(row.occurred_at),
        when_iso: iso_time(row.occurred_at),
        actor: row.actor_label,
        person: row.subject_username,
        person_id: row.subject_user_id,
        action: row.action.label().to_owned(),
        detail: row.detail,
        ip: row.ip.unwrap_or_default(),
    }
}

/// One page of entries, newest first.
pub async fn page(
    state: &Services,
    _admin: &Admin,
    search: AuditSearch,
) -> anyhow::Result<AuditLogPage> {
    let (rows, more) =
        audit_log::search(&state.db, &search.filter, search.before, PAGE_SIZE).await?;
    let next = match (rows.last(), more) {
        (Some(last), true) => Some(last.id.to_string()),
        _ => None,
    };
    Ok(AuditLogPage {
        rows: rows.into_iter().map(row_view).collect(),
        next,
        actions: AuditAction::ALL
            .into_iter()
            .map(|a| (a.as_str().to_owned(), a.label().to_owned()))
            .collect(),
    })
}

/// Every matching entry as CSV, newest first, a batch at a time. Takes `&Admin`
/// so that only the admin section can start one.
pub fn export_csv(
    db: Db,
    _admin: &Admin,
    filter: AuditFilter,
) -> impl Stream<Item = anyhow::Result<Bytes>> + Send + 'static {
    enum Next {
        Header,
        Rows(Option<i64>),
        Done,
    }
    futures_util::stream::unfold(Next::Header, move |next| {
        let db = db.clone();
        let filter = filter.clone();
        async move {
            match next {
                Next::Header => Some((csv_chunk(&[], true), Next::Rows(None))),
                Next::Rows(before) => {
                    match audit_log::search(&db, &filter, before, EXPORT_BATCH).await {
                        Err(e) => Some((Err(e), Next::Done)),
                        Ok((rows, more)) => {
                            let after = match (rows.last(), more) {
                                (Some(last), true) => Next::Rows(Some(last.id)),
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

fn csv_chunk(rows: &[audit_log::AuditLogRow], header: bool) -> anyhow::Result<Bytes> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 160));
    if header {
        writer.write_record(CSV_HEADER)?;
    }
    for row in rows {
        let time = iso_time(row.occurred_at);
        let fields = [
            time.as_str(),
            &row.actor_label,
            row.subject_username.as_deref().unwrap_or(""),
            row.action.as_str(),
            row.action.label(),
            &row.detail,
            row.ip.as_deref().unwrap_or(""),
        ];
        writer.write_record(fields.map(|cell| spreadsheet_safe(cell).into_owned()))?;
    }
    Ok(Bytes::from(writer.into_inner()?))
}
