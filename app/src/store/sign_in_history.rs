//! A user's own sign-in events, a page at a time: keyset pagination on
//! (occurred_at, id), never OFFSET, so page 1,000 costs what page 1 does and rows
//! arriving meanwhile neither shift nor repeat anything.

use super::{Db, Flag, UserId};
use anyhow::Context;

/// Which events to show. Times are unix seconds; `until` is exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    pub succeeded: Option<bool>,
    pub from: Option<i64>,
    pub until: Option<i64>,
}

/// A position between two events: the last one shown on a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub occurred_at: i64,
    pub id: i64,
}

/// Which page: the newest, the one older than a cursor, or the one newer than it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageAt {
    Newest,
    OlderThan(Cursor),
    NewerThan(Cursor),
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryRow {
    pub id: i64,
    pub occurred_at: i64,
    pub ip: String,
    pub user_agent: String,
    pub auth_type: String,
    pub app_name: String,
    #[sqlx(try_from = "Flag")]
    pub succeeded: bool,
    pub result_code: i64,
    /// Whether the user reported this event ("This wasn't me").
    #[sqlx(try_from = "Flag")]
    pub reported: bool,
}

impl HistoryRow {
    pub fn cursor(&self) -> Cursor {
        Cursor {
            occurred_at: self.occurred_at,
            id: self.id,
        }
    }
}

/// Up to `limit` events of `user`, newest first, and whether more lie beyond the
/// page in the direction it was asked for.
pub async fn page(
    db: &Db,
    user: UserId,
    filter: HistoryFilter,
    at: PageAt,
    limit: i64,
) -> anyhow::Result<(Vec<HistoryRow>, bool)> {
    let (sql, params) = page_query(user, filter, at, limit + 1);
    let mut query = sqlx::query_as::<_, HistoryRow>(&sql);
    for param in params {
        query = query.bind(param);
    }
    let mut rows = query
        .fetch_all(db.pool())
        .await
        .context("reading sign-in history")?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    if matches!(at, PageAt::NewerThan(_)) {
        rows.reverse();
    }
    Ok((rows, more))
}

/// The event `id` if it is one of `user`'s.
pub async fn find(db: &Db, user: UserId, id: i64) -> anyhow::Result<Option<HistoryRow>> {
    let sql = format!("{SELECT} WHERE e.id = $1 AND e.user_id = $2");
    sqlx::query_as::<_, HistoryRow>(&sql)
        .bind(id)
        .bind(user)
        .fetch_optional(db.pool())
        .await
        .context("reading a sign-in event")
}

const SELECT: &str = "SELECT e.id, e.occurred_at, e.ip, e.user_agent, e.auth_type, e.app_name, \
    e.succeeded, e.result_code, \
    EXISTS (SELECT 1 FROM fraud_reports f WHERE f.sign_in_event_id = e.id) AS reported \
    FROM sign_in_events e";

/// The statement and its parameters (all integers). Conditions are fixed strings;
/// only their presence varies, so nothing typed by a user reaches the SQL text.
fn page_query(user: UserId, filter: HistoryFilter, at: PageAt, limit: i64) -> (String, Vec<i64>) {
    let mut params = vec![user.0];
    let mut sql = format!("{SELECT} WHERE e.user_id = $1");
    if let Some(succeeded) = filter.succeeded {
        let p = param(&mut params, i64::from(succeeded));
        sql.push_str(&format!(" AND e.succeeded = {p}"));
    }
    if let Some(from) = filter.from {
        let p = param(&mut params, from);
        sql.push_str(&format!(" AND e.occurred_at >= {p}"));
    }
    if let Some(until) = filter.until {
        let p = param(&mut params, until);
        sql.push_str(&format!(" AND e.occurred_at < {p}"));
    }
    // The first comparison alone lets the index seek to the cursor; the second
    // breaks ties between events of the same second.
    let order = match at {
        PageAt::Newest => "DESC",
        PageAt::OlderThan(c) => {
            let (t, i) = (param(&mut params, c.occurred_at), param(&mut params, c.id));
            sql.push_str(&format!(
                " AND e.occurred_at <= {t} AND (e.occurred_at < {t} OR e.id < {i})"
            ));
            "DESC"
        }
        PageAt::NewerThan(c) => {
            let (t, i) = (param(&mut params, c.occurred_at), param(&mut params, c.id));
            sql.push_str(&format!(
                " AND e.occurred_at >= {t} AND (e.occurred_at > {t} OR e.id > {i})"
            ));
            "ASC"
        }
    };
    let l = param(&mut params, limit);
    sql.push_str(&format!(
        " ORDER BY e.occurred_at {order}, e.id {order} LIMIT {l}"
    ));
    (sql, params)
}

/// Adds a parameter and returns its placeholder.
fn param(params: &mut Vec<i64>, value: i64) -> String {
    params.push(value);
    format!("${}", params.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_page_has_only_the_user_and_the_limit() {
        let (sql, params) = page_query(UserId(7), HistoryFilter::default(), PageAt::Newest, 51);
        assert!(
            sql.ends_with("WHERE e.user_id = $1 ORDER BY e.occurred_at DESC, e.id DESC LIMIT $2")
        );
        assert_eq!(params, vec![7, 51]);
    }

    #[test]
    fn filters_and_cursor_number_their_parameters_in_order() {
        let filter = HistoryFilter {
            succeeded: Some(false),
            from: Some(100),
            until: Some(200),
        };
        let cursor = Cursor {
            occurred_at: 150,
            id: 9,
        };
        let (sql, params) = page_query(UserId(7), filter, PageAt::NewerThan(cursor), 11);
        assert!(sql.contains("e.succeeded = $2 AND e.occurred_at >= $3 AND e.occurred_at < $4"));
        assert!(sql.contains("e.occurred_at >= $5 AND (e.occurred_at > $5 OR e.id > $6)"));
        assert!(sql.ends_with("ORDER BY e.occurred_at ASC, e.id ASC LIMIT $7"));
        assert_eq!(params, vec![7, 0, 100, 200, 150, 9, 11]);
    }
}
