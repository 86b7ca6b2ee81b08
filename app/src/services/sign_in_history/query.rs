//! What the My sign-ins address asks for (result, dates, page cursor), checked;
//! errors name the field they concern.

use crate::domain::FieldError;
use crate::domain::history::{HistoryQuery, ResultFilter};
use crate::services::time_format::{parse_day, start_of_day};
use crate::store::sign_in_history::{Cursor, HistoryFilter, PageAt};

/// A history request, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedQuery {
    pub filter: HistoryFilter,
    pub at: PageAt,
}

/// Checks what the address asked for; errors name the field they concern.
pub fn parse_query(query: &HistoryQuery) -> Result<ParsedQuery, FieldError> {
    let result = match non_empty(&query.result) {
        Some(text) => text
            .parse::<ResultFilter>()
            .map_err(|e| FieldError::new("result", e))?,
        None => ResultFilter::All,
    };
    let from = non_empty(&query.from)
        .map(|text| parse_day(text).map_err(|e| FieldError::new("from", e)))
        .transpose()?;
    let to = non_empty(&query.to)
        .map(|text| parse_day(text).map_err(|e| FieldError::new("to", e)))
        .transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(FieldError::new(
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

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A cursor as it travels in the address: `<unix seconds>.<event id>`.
pub fn format_cursor(cursor: Cursor) -> String {
    format!("{}.{}", cursor.occurred_at, cursor.id)
}

fn parse_cursor(text: &str) -> Result<Cursor, FieldError> {
    let bad = || {
        FieldError::new(
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
    use crate::domain::AppError;

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
        assert!(AppError::from(err).for_field("from").is_some());
        let err = parse_query(&query("all", "2026-11-02", "2026-11-01")).unwrap_err();
        assert!(AppError::from(err).for_field("to").is_some());
        let err = parse_query(&query("maybe", "", "")).unwrap_err();
        assert!(AppError::from(err).for_field("result").is_some());
        let damaged = HistoryQuery {
            before: Some("12;DROP".to_owned()),
            ..HistoryQuery::default()
        };
        assert!(
            AppError::from(parse_query(&damaged).unwrap_err())
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
}
