//! The admin's search over people. Keyset pages ordered by username (unique and
//! indexed), never OFFSET. Filters are fixed SQL fragments with numbered parameters:
//! nothing typed by an admin reaches the SQL text.

use super::Db;
use crate::domain::{MfaState, Role};
use anyhow::Context;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirectoryFilter {
    /// Lowercase text to find inside the username, display name or e-mail address.
    pub text: Option<String>,
    pub role: Option<Role>,
    pub mfa_state: Option<MfaState>,
    /// Only accounts locked at this time (unix seconds).
    pub locked_at: Option<i64>,
    /// Only accounts blocked after a fraud report.
    pub blocked: bool,
    /// Only accounts an administrator disabled.
    pub disabled: bool,
    /// Only people with (`Some(true)`) or without (`Some(false)`) an active method.
    pub registered: Option<bool>,
    /// Start after this username.
    pub after: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DirectoryRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub mfa_state: MfaState,
    pub methods: i64,
    pub locked_until: Option<i64>,
    pub blocked_at: Option<i64>,
    pub disabled_at: Option<i64>,
}

/// Up to `limit` people matching `filter`, by username, and whether more follow.
pub async fn search(
    db: &Db,
    filter: &DirectoryFilter,
    limit: i64,
) -> anyhow::Result<(Vec<DirectoryRow>, bool)> {
    let (sql, params) = search_query(filter, limit + 1);
    let mut query = sqlx::query_as::<_, DirectoryRow>(&sql);
    for param in params {
        query = match param {
            Param::Text(text) => query.bind(text),
            Param::Int(number) => query.bind(number),
        };
    }
    let mut rows = query
        .fetch_all(db.pool())
        .await
        .context("searching people")?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    Ok((rows, more))
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Param {
    Text(String),
    Int(i64),
}

const SELECT: &str = "SELECT u.id, u.username, u.display_name, u.email, u.role, u.mfa_state, \
    (SELECT COUNT(*) FROM mfa_methods m WHERE m.user_id = u.id AND m.status = 'active') AS methods, \
    u.locked_until, u.blocked_at, u.disabled_at FROM users u";

const HAS_METHOD: &str =
    "EXISTS (SELECT 1 FROM mfa_methods m WHERE m.user_id = u.id AND m.status = 'active')";

fn search_query(filter: &DirectoryFilter, limit: i64) -> (String, Vec<Param>) {
    let mut params = Vec::new();
    let mut conditions: Vec<String> = Vec::new();
    if let Some(text) = &filter.text {
        let p = param(&mut params, Param::Text(format!("%{}%", escape_like(text))));
        conditions.push(format!(
            "(LOWER(u.username) LIKE {p} ESCAPE '\\' OR LOWER(u.display_name) LIKE {p} ESCAPE '\\' \
             OR LOWER(u.email) LIKE {p} ESCAPE '\\')"
        ));
    }
    if let Some(role) = filter.role {
        let p = param(&mut params, Param::Text(role.as_str().to_owned()));
        conditions.push(format!("u.role = {p}"));
    }
    if let Some(state) = filter.mfa_state {
        let p = param(&mut params, Param::Text(state.as_str().to_owned()));
        conditions.push(format!("u.mfa_state = {p}"));
    }
    if let Some(now) = filter.locked_at {
        let p = param(&mut params, Param::Int(now));
        conditions.push(format!("u.locked_until > {p}"));
    }
    if filter.disabled {
        conditions.push("u.disabled_at IS NOT NULL".to_owned());
    }
    if filter.blocked {
        conditions.push("u.blocked_at IS NOT NULL".to_owned());
    }
    match filter.registered {
        Some(true) => conditions.push(HAS_METHOD.to_owned()),
        Some(false) => conditions.push(format!("NOT {HAS_METHOD}")),
        None => {}
    }
    if let Some(after) = &filter.after {
        let p = param(&mut params, Param::Text(after.clone()));
        conditions.push(format!("u.username > {p}"));
    }
    let mut sql = SELECT.to_owned();
    if !conditions.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conditions.join(" AND "));
    }
    let l = param(&mut params, Param::Int(limit));
    sql.push_str(&format!(" ORDER BY u.username LIMIT {l}"));
    (sql, params)
}

/// `%`, `_` and `\` typed by the admin match themselves, not any text.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Adds a parameter and returns its placeholder.
fn param(params: &mut Vec<Param>, value: Param) -> String {
    params.push(value);
    format!("${}", params.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_filter_is_the_first_page_by_username() {
        let (sql, params) = search_query(&DirectoryFilter::default(), 26);
        assert!(sql.ends_with("FROM users u ORDER BY u.username LIMIT $1"));
        assert_eq!(params, vec![Param::Int(26)]);
    }

    #[test]
    fn filters_number_their_parameters_in_order_and_text_is_escaped() {
        let filter = DirectoryFilter {
            text: Some("50%_off\\".to_owned()),
            role: Some(Role::Helpdesk),
            mfa_state: Some(MfaState::Enforced),
            locked_at: Some(1_000),
            blocked: true,
            disabled: true,
            registered: Some(false),
            after: Some("kim".to_owned()),
        };
        let (sql, params) = search_query(&filter, 11);
        assert!(sql.contains("LOWER(u.email) LIKE $1 ESCAPE '\\')"));
        assert!(sql.contains(
            "AND u.role = $2 AND u.mfa_state = $3 AND u.locked_until > $4 AND u.disabled_at IS NOT NULL \
             AND u.blocked_at IS NOT NULL AND NOT EXISTS"
        ));
        assert!(sql.ends_with("AND u.username > $5 ORDER BY u.username LIMIT $6"));
        assert_eq!(
            params,
            vec![
                Param::Text("%50\\%\\_off\\\\%".to_owned()),
                Param::Text("helpdesk".to_owned()),
                Param::Text("enforced".to_owned()),
                Param::Int(1_000),
                Param::Text("kim".to_owned()),
                Param::Int(11),
            ]
        );
    }
}
