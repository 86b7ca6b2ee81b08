//! The admin dashboard as the page draws it.

use serde::{Deserialize, Serialize};

/// One bar of a chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bar {
    pub label: String,
    pub value: i64,
}

/// Sign-ins in one period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInPeriod {
    /// "Last 24 hours", "Last 7 days", "Last 30 days".
    pub title: String,
    pub by_outcome: Vec<Bar>,
    pub by_method: Vec<Bar>,
}

/// Texts, calls or e-mails in the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub channel: String,
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    pub periods: Vec<SignInPeriod>,
    pub users: i64,
    /// People with at least one method, with an app, with a phone (bars of people).
    pub coverage: Vec<Bar>,
    pub enforced_unregistered: i64,
    pub open_fraud_reports: i64,
    pub locked: i64,
    pub blocked: i64,
    pub disabled: i64,
    pub delivery: Vec<DeliveryRow>,
}
