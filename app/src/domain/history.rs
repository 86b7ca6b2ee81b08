//! The sign-in history as pages render it, and the result filter both sides share.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The "Result" filter of My sign-ins.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResultFilter {
    #[default]
    All,
    Successful,
    Unsuccessful,
}

impl ResultFilter {
    pub const ALL: [ResultFilter; 3] = [Self::All, Self::Successful, Self::Unsuccessful];

    /// The value in the page's address (`?result=…`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Successful => "success",
            Self::Unsuccessful => "failure",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::All => "All results",
            Self::Successful => "Successful",
            Self::Unsuccessful => "Not successful",
        }
    }

    /// `Some(true)` for successes only, `Some(false)` for the rest, `None` for all.
    pub fn succeeded(self) -> Option<bool> {
        match self {
            Self::All => None,
            Self::Successful => Some(true),
            Self::Unsuccessful => Some(false),
        }
    }
}

impl fmt::Display for ResultFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ResultFilter {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| "Choose one of the listed results.".to_owned())
    }
}

/// What My sign-ins was asked for, as typed into its address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryQuery {
    pub result: Option<String>,
    /// `YYYY-MM-DD`, UTC, inclusive.
    pub from: Option<String>,
    /// `YYYY-MM-DD`, UTC, inclusive.
    pub to: Option<String>,
    /// Cursor of the page's last row, to show older rows.
    pub before: Option<String>,
    /// Cursor of the page's first row, to show newer rows.
    pub after: Option<String>,
}

/// One attempt, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRowView {
    pub id: i64,
    /// UTC, to the minute.
    pub when: String,
    /// Machine-readable time for `<time datetime>`.
    pub when_iso: String,
    pub succeeded: bool,
    /// "Success", "Wrong code", …
    pub result: String,
    /// The seed table's code and description ("138 OATH Code Incorrect").
    pub result_detail: String,
    /// "Password", "Authenticator app", "App password", …
    pub method: String,
    /// "Portal" or an app password's name.
    pub app: String,
    pub ip: String,
    /// "Firefox on Windows 10".
    pub device: String,
    pub reported: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPageView {
    pub rows: Vec<HistoryRowView>,
    /// Cursor for the "Newer" link, when newer rows exist.
    pub newer: Option<String>,
    /// Cursor for the "Older" link, when older rows exist.
    pub older: Option<String>,
}

/// The outcome of "This wasn't me".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FraudReportView {
    pub report_id: i64,
    /// Whether "secure my account" was already done from this report.
    pub secured: bool,
}

/// What "secure my account" took away.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecuredView {
    pub browsers_forgotten: u64,
    pub app_passwords_revoked: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_filters_round_trip_through_the_address() {
        for filter in ResultFilter::ALL {
            assert_eq!(filter.as_str().parse::<ResultFilter>(), Ok(filter));
        }
        assert!("everything".parse::<ResultFilter>().is_err());
    }
}
