//! OATH hardware tokens as the admin's tokens page shows them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnassignedToken {
    pub serial: String,
    /// "Time-based (TOTP), 6 digits, 30 s" or "Counter-based (HOTP), 8 digits".
    pub kind: String,
    pub imported: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedToken {
    pub serial: String,
    pub counter_based: bool,
    pub person_id: i64,
    pub person: String,
    pub username: String,
    pub assigned: String,
}

/// What one upload of a token file did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenImportView {
    pub file_name: String,
    pub imported: i64,
    pub already_known: i64,
    /// "Line 4 (T-9): Secret: not hex or base32.", or why the file was refused.
    pub problems: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensView {
    pub unassigned: Vec<UnassignedToken>,
    pub unassigned_total: i64,
    pub assigned: Vec<AssignedToken>,
    /// The upload the page was opened after, if any.
    pub last_import: Option<TokenImportView>,
}
