//! The admin dashboard: sign-ins of the last day, week and month by outcome and by
//! method, registration coverage, open fraud reports, locked, blocked and disabled
//! accounts, and the outbox's health.

use super::caller::Admin;
use super::sign_in_history::method_words;
use crate::domain::ResultCode;
use crate::domain::dashboard::{Bar, DashboardView, DeliveryRow, SignInPeriod};
use crate::state::Services;
use crate::store::{dashboard, users};
use std::collections::BTreeMap;

const PERIODS: [(&str, i64); 3] = [
    ("Last 24 hours", 86_400),
    ("Last 7 days", 7 * 86_400),
    ("Last 30 days", 30 * 86_400),
];

pub async fn view(state: &Services, _admin: &Admin) -> anyhow::Result<DashboardView> {
    let now = state.clock.now();
    let [day, week, month] = PERIODS.map(|(_, length)| now - length);
    let counts = dashboard::sign_ins_by_period(&state.db, day, week, month).await?;
    let mut periods = Vec::new();
    for (index, (title, _)) in PERIODS.into_iter().enumerate() {
        let mut outcomes: BTreeMap<&str, i64> = BTreeMap::new();
        let mut methods: BTreeMap<&str, i64> = BTreeMap::new();
        for row in &counts {
            let n = [row.day, row.week, row.month][index];
            if n == 0 {
                continue;
            }
            let code = ResultCode::from_code(row.result_code);
            let outcome = if row.succeeded {
                "Succeeded"
            } else if code.is_some_and(|c| c.plain_words().starts_with("Password correct")) {
                "Waiting or not finished"
            } else {
                "Refused"
            };
            *outcomes.entry(outcome).or_default() += n;
            *methods
                .entry(method_words(&row.auth_type, code))
                .or_default() += n;
        }
        let bars = |map: BTreeMap<&str, i64>| {
            let mut bars: Vec<Bar> = map
                .into_iter()
                .map(|(label, value)| Bar {
                    label: label.to_owned(),
                    value,
                })
                .collect();
            bars.sort_by(|a, b| b.value.cmp(&a.value).then(a.label.cmp(&b.label)));
            bars
        };
        periods.push(SignInPeriod {
            title: title.to_owned(),
            by_outcome: bars(outcomes),
            by_method: bars(methods),
        });
    }
    let coverage = dashboard::coverage(&state.db).await?;
    let mut delivery: BTreeMap<String, DeliveryRow> = BTreeMap::new();
    for row in dashboard::outbox(&state.db).await? {
        let entry = delivery.entry(row.channel.clone()).or_insert(DeliveryRow {
            channel: match row.channel.as_str() {
                "email" => "E-mails",
                "sms" => "Texts",
                "voice" => "Calls",
                _ => "Other",
            }
            .to_owned(),
            queued: 0,
            sent: 0,
            failed: 0,
        });
        match row.status.as_str() {
            "sent" => entry.sent += row.n,
            "failed" => entry.failed += row.n,
            _ => entry.queued += row.n,
        }
    }
    Ok(DashboardView {
        periods,
        users: coverage.users,
        coverage: vec![
            Bar {
                label: "At least one method".to_owned(),
                value: coverage.with_method,
            },
            Bar {
                label: "Authenticator app".to_owned(),
                value: coverage.with_app,
            },
            Bar {
                label: "Hardware token".to_owned(),
                value: coverage.with_token,
            },
            Bar {
                label: "Phone".to_owned(),
                value: coverage.with_phone,
            },
        ],
        enforced_unregistered: coverage.enforced_unregistered,
        open_fraud_reports: dashboard::open_fraud_reports(&state.db).await?,
        locked: users::locked_at(&state.db, now).await?.len() as i64,
        blocked: coverage.blocked,
        disabled: coverage.disabled,
        delivery: delivery.into_values().collect(),
    })
}
