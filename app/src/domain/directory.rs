//! The admin section's directory of people: the search as the page's address
//! carries it, one page of results, and one person's page.

use super::history::HistoryRowView;
use super::views::{AppPasswordView, DeviceView, MethodView, PhoneView, SessionView};
use super::{MfaState, Role};
use serde::{Deserialize, Serialize};

/// The search as typed into the filter form: every field is the raw text from the
/// address (`?q=…&role=…`), so a search can be bookmarked; the service parses it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryQuery {
    /// Part of a name, username or e-mail address.
    pub q: Option<String>,
    pub role: Option<String>,
    pub mfa: Option<String>,
    pub status: Option<String>,
    pub methods: Option<String>,
    /// The username the previous page ended with.
    pub after: Option<String>,
}

crate::text_enum! {
    /// The "Account" filter.
    #[derive(Default)]
    pub enum StatusFilter {
        #[default]
        Any = "any",
        /// Locked after repeated failures, now.
        Locked = "locked",
        /// Blocked after a fraud report.
        Blocked = "blocked",
        /// Disabled by an administrator.
        Disabled = "disabled",
    }
}

impl StatusFilter {
    pub fn label(self) -> &'static str {
        match self {
            Self::Any => "Any",
            Self::Locked => "Locked",
            Self::Blocked => "Blocked",
            Self::Disabled => "Disabled",
        }
    }
}

crate::text_enum! {
    /// The "Methods" filter: whether the person has registered a way to sign in.
    #[derive(Default)]
    pub enum RegisteredFilter {
        #[default]
        Any = "any",
        AtLeastOne = "some",
        NoneYet = "none",
    }
}

impl RegisteredFilter {
    pub fn label(self) -> &'static str {
        match self {
            Self::Any => "Any",
            Self::AtLeastOne => "At least one",
            Self::NoneYet => "None registered",
        }
    }
}

/// One person in the results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub mfa_state: MfaState,
    /// Active methods: apps and phones.
    pub methods: i64,
    pub locked: bool,
    pub blocked: bool,
    pub disabled: bool,
}

/// A page of results, by username; `next` is the cursor of the page after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryPage {
    pub rows: Vec<DirectoryRow>,
    pub next: Option<String>,
}

/// One entry of the audit log about a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryView {
    pub when: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

/// What an admin sees of one person: everything but a secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub mfa_state: MfaState,
    /// "Locked until 2026-12-02 10:15 UTC", when it is.
    pub locked_until: Option<String>,
    /// "Blocked since …", after a fraud report.
    pub blocked_since: Option<String>,
    /// "Disabled since …", when an admin disabled the account.
    pub disabled_since: Option<String>,
    /// A temporary password waits to be replaced at the next sign-in.
    pub must_change_password: bool,
    /// Until when an unused one-time bypass runs (UTC minutes).
    pub bypass_until: Option<String>,
    /// Apps (phones are listed with `phones`).
    pub methods: Vec<MethodView>,
    pub phones: Vec<PhoneView>,
    pub app_passwords: Vec<AppPasswordView>,
    pub devices: Vec<DeviceView>,
    pub sessions: Vec<SessionView>,
    /// The newest sign-ins, newest first.
    pub sign_ins: Vec<HistoryRowView>,
    /// The newest audit entries about the person, newest first.
    pub audit: Vec<AuditEntryView>,
}

/// A new account, with the first password shown to the admin this once, or where
/// its set-up link went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonCreated {
    pub id: i64,
    pub username: String,
    pub first_password: Option<String>,
    pub setup_link: Option<SetupLinkSent>,
}

/// Where a set-up link was e-mailed, and until when (UTC minutes) it works.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupLinkSent {
    pub email: String,
    pub until: String,
}

/// Until when (UTC minutes) the granted bypass may be used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BypassGranted {
    pub until: String,
}
