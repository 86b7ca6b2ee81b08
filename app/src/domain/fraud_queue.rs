//! The admins' fraud queue as the page shows it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    pub id: i64,
    pub person_id: i64,
    pub person: String,
    pub username: String,
    pub reported: String,
    /// "A call (0#)", "An app notification", "My sign-ins".
    pub how: String,
    /// Where the report was made from.
    pub reported_from: String,
    /// The sign-in it concerns, in words ("2026-12-01 10:00 UTC from 192.0.2.1, ..."),
    /// when the report names one.
    pub sign_in: Option<String>,
    pub notes: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FraudQueueView {
    /// Waiting for a decision, oldest first.
    pub open: Vec<ReportView>,
    /// Confirmed as fraud (their block can be lifted), newest first.
    pub confirmed: Vec<ReportView>,
}

/// What a decision did beyond the report: a temporary password to read to the
/// person, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionDone {
    pub temporary_password: Option<String>,
}
