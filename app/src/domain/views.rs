//! What pages render: plain data assembled on the server, no secrets.

use super::{MfaState, Role};
use serde::{Deserialize, Serialize};

/// The signed-in person as the navigation needs them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerView {
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInSummary {
    /// UTC, formatted for people ("2026-11-22 21:04 UTC").
    pub at: String,
    pub ip: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub display_name: String,
    pub username: String,
    pub email: String,
    pub role: Role,
    pub mfa_state: MfaState,
    /// The latest successful sign-in before the current one.
    pub previous_sign_in: Option<SignInSummary>,
    pub method_count: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedAccountView {
    pub username: String,
    pub display_name: String,
    pub locked_until: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountRow {
    pub label: String,
    pub count: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminSummary {
    pub users_by_role: Vec<CountRow>,
    pub users_by_mfa_state: Vec<CountRow>,
    pub locked_accounts: Vec<LockedAccountView>,
}
