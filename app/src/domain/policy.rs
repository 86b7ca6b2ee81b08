//! The policies page's view: every run-time setting, grouped, with what it does,
//! its default and its value; and the changes made since a day.

use super::directory::AuditEntryView;
use serde::{Deserialize, Serialize};

/// How a setting is edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SettingKind {
    YesNo,
    Number,
    /// Comma-separated words (methods, countries, addresses).
    List,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingView {
    /// The `policy_settings` key, also the form's `key`.
    pub key: String,
    pub label: String,
    /// One sentence: what it does.
    pub explanation: String,
    /// The value when nothing is stored (the configuration file's), as typed.
    pub default_value: String,
    pub value: String,
    pub kind: SettingKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyGroupView {
    pub title: String,
    pub settings: Vec<SettingView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoliciesView {
    pub groups: Vec<PolicyGroupView>,
    /// Policy changes on or after `since` (all, newest first, when none given).
    pub changes: Vec<AuditEntryView>,
    /// The day asked for, `YYYY-MM-DD`, echoed for the form.
    pub since: Option<String>,
}
