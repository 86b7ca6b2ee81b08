//! Summaries for the admin and helpdesk landing pages.

use super::time_format::utc_minutes;
use crate::domain::views::{AdminSummary, CountRow, LockedAccountView};
use crate::domain::{MfaState, Role};
use crate::state::Services;
use crate::store::users::{self, GroupColumn};

pub async fn locked_accounts(state: &Services) -> anyhow::Result<Vec<LockedAccountView>> {
    let rows = users::locked_at(&state.db, state.clock.now()).await?;
    Ok(rows
        .into_iter()
        .map(|row| LockedAccountView {
            username: row.username,
            display_name: row.display_name,
            locked_until: row.locked_until.map(utc_minutes).unwrap_or_default(),
        })
        .collect())
}

pub async fn admin(state: &Services) -> anyhow::Result<AdminSummary> {
    let by_role = users::count_by(&state.db, GroupColumn::Role).await?;
    let by_state = users::count_by(&state.db, GroupColumn::MfaState).await?;
    let count_of = |rows: &[(String, i64)], key: &str| {
        rows.iter().find(|(k, _)| k == key).map_or(0, |(_, n)| *n)
    };
    Ok(AdminSummary {
        users_by_role: Role::ALL
            .iter()
            .map(|r| CountRow {
                label: r.label().to_owned(),
                count: count_of(&by_role, r.as_str()),
            })
            .collect(),
        users_by_mfa_state: MfaState::ALL
            .iter()
            .map(|s| CountRow {
                label: s.label().to_owned(),
                count: count_of(&by_state, s.as_str()),
            })
            .collect(),
        locked_accounts: locked_accounts(state).await?,
    })
}
