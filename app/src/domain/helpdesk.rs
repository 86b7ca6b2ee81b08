//! The helpdesk area: a person's status as an agent sees it, the caller checks,
//! and a temporary access pass shown once.

use super::Role;
use super::history::HistoryRowView;
use serde::{Deserialize, Serialize};

/// One person as the helpdesk sees them: methods by kind and name only, never a
/// number or a secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpdeskPersonView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    /// Whether this agent may act for the person (not themselves, not an admin,
    /// not another agent unless the agent is an admin); the reason when not.
    pub not_helpable: Option<String>,
    /// Why the agent may not view this person's portal, if not.
    pub not_viewable: Option<String>,
    pub locked_until: Option<String>,
    pub blocked_since: Option<String>,
    pub disabled_since: Option<String>,
    /// Apps and OATH tokens: what a caller can read a code from.
    pub code_methods: Vec<CodeMethodView>,
    /// Phones by kind ("Mobile phone (texts and calls)"), without the number.
    pub phones: Vec<HelpdeskPhoneView>,
    /// The newest sign-ins, with the result code in words.
    pub sign_ins: Vec<HistoryRowView>,
    /// The agent's verification of this person still in force, if any.
    pub verified: Option<CallerVerifiedView>,
    /// This agent's latest attempts to verify the person, newest first.
    pub checks: Vec<CallerCheckView>,
    /// "A temporary access pass is live until …", when one is.
    pub live_pass: Option<String>,
    pub policy: HelpdeskPolicyView,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeMethodView {
    pub id: i64,
    /// "Authenticator app" or "Hardware token".
    pub kind_label: String,
    pub name: String,
}

/// A phone the agent can send the caller a code to; never its number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpdeskPhoneView {
    pub method_id: i64,
    /// "Mobile phone (texts and calls, set by the organisation)".
    pub description: String,
    pub takes_sms: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerVerifiedView {
    /// "a code from “Work phone”".
    pub how: String,
    /// UTC minutes.
    pub until: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerCheckView {
    pub when: String,
    pub how: String,
    pub verified: bool,
    /// "23 OATH Code Verified".
    pub result: String,
}

/// What the policy lets the helpdesk do, so the page offers only that.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpdeskPolicyView {
    pub may_unlock: bool,
    pub unlock_needs_verified_caller: bool,
    pub may_issue_pass: bool,
    pub pass_needs_verified_caller: bool,
    pub pass_minutes: i64,
    pub pass_reusable: bool,
    pub view_needs_verified_caller: bool,
    pub view_max_minutes: i64,
}

/// A temporary access pass, shown to the agent this once to read to the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedPassView {
    /// In groups of four, like `abcd-efgh-jkmn-pqrs`.
    pub pass: String,
    /// UTC minutes.
    pub valid_until: String,
    /// "once" or "as often as needed until then".
    pub uses: String,
}
