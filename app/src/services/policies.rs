//! The admin's policies page: every run-time setting with what it does, its
//! default and its value, changed one at a time (validated, audited), and the
//! changes since a day.

use super::caller::{Admin, Verified};
use super::portal_settings::{self, PortalSettings};
use super::time_format::{parse_day, start_of_day, utc_minutes};
use crate::domain::directory::AuditEntryView;
use crate::domain::policy::{PoliciesView, PolicyGroupView, SettingKind, SettingView};
use crate::domain::{AuditAction, FieldError};
use crate::state::Services;
use crate::store::audit;

/// How many changes the page lists at most.
const CHANGES_SHOWN: i64 = 100;

struct Described {
    key: &'static str,
    label: &'static str,
    explanation: &'static str,
    kind: SettingKind,
}

const fn setting(
    key: &'static str,
    label: &'static str,
    explanation: &'static str,
    kind: SettingKind,
) -> Described {
    Described {
        key,
        label,
        explanation,
        kind,
    }
}

/// The groups and their settings, in the page's order.
const GROUPS: [(&str, &[Described]); 7] = [
    (
        "Sign-in methods",
        &[
            setting(
                portal_settings::ALLOWED_METHODS,
                "Allowed second-step methods",
                "Which methods people may use: app_notification, app_code, phone_call, sms. Texts and calls never alone.",
                SettingKind::List,
            ),
            setting(
                portal_settings::ENFORCE_AFTER_REGISTRATION,
                "Enforce after registration",
                "When an enabled person registers a method, their MFA state becomes enforced (as in Entra).",
                SettingKind::YesNo,
            ),
            setting(
                portal_settings::PUSH_APPROVAL,
                "How app notifications are approved",
                "approve (compare a short code), pick (pick the number the sign-in page shows from three; the default) or type (type the number in the web authenticator; apps pick).",
                SettingKind::List,
            ),
            setting(
                portal_settings::PUSH_PER_USER_PER_15MIN,
                "App notifications per person per 15 minutes",
                "How many sign-in notifications one person may be sent in 15 minutes (1 to 50), against prompt bombing.",
                SettingKind::Number,
            ),
        ],
    ),
    (
        "Phones",
        &[
            setting(
                portal_settings::PHONE_REGIONS,
                "Phone countries",
                "Two-letter country codes numbers may come from, separated by commas; empty allows every country.",
                SettingKind::List,
            ),
            setting(
                portal_settings::USERS_MAY_CHANGE_ADMIN_PHONE,
                "People may change organisation phones",
                "Whether a person may remove or replace a phone the organisation set for them.",
                SettingKind::YesNo,
            ),
        ],
    ),
    (
        "Browsers and app passwords",
        &[
            setting(
                portal_settings::REMEMBER_BROWSER_DAYS,
                "Remember a browser for (days)",
                "How long \u{201c}don't ask again on this browser\u{201d} skips the second step; 0 turns the choice off.",
                SettingKind::Number,
            ),
            setting(
                portal_settings::APP_PASSWORDS_ALLOWED,
                "App passwords allowed",
                "Whether people may create app passwords for apps that cannot do a second step.",
                SettingKind::YesNo,
            ),
            setting(
                portal_settings::APP_PASSWORDS_MAX,
                "App passwords per person",
                "How many live app passwords one person may have (1 to 100).",
                SettingKind::Number,
            ),
        ],
    ),
    (
        "Lockout",
        &[setting(
            portal_settings::LOCKOUT_THRESHOLD,
            "Wrong attempts before a lock",
            "Consecutive wrong passwords or codes that lock an account for a while (1 to 100).",
            SettingKind::Number,
        )],
    ),
    (
        "Fraud reports",
        &[
            setting(
                portal_settings::FRAUD_BLOCK_HOURS,
                "Block prompts after a report (hours)",
                "How long texts, calls and notifications stay blocked after a person reports one; 0 blocks until an admin resolves the report.",
                SettingKind::Number,
            ),
            setting(
                portal_settings::FRAUD_ALERT_ADDRESSES,
                "Alert addresses",
                "Who is e-mailed when a person reports fraud, separated by commas; empty alerts every active admin.",
                SettingKind::List,
            ),
        ],
    ),
    (
        "Helpdesk",
        &[
            setting(
                portal_settings::HELPDESK_MAY_UNLOCK,
                "Helpdesk may unlock accounts",
                "Whether helpdesk agents may lift a lock; administrators always may.",
                SettingKind::YesNo,
            ),
            setting(
                portal_settings::UNLOCK_NEEDS_VERIFIED_CALLER,
                "Unlock needs a verified caller",
                "Whether an agent must first verify the person with a code from their app or token before unlocking.",
                SettingKind::YesNo,
            ),
            setting(
                portal_settings::HELPDESK_MAY_ISSUE_PASS,
                "Helpdesk may issue temporary access passes",
                "Whether helpdesk agents may issue a pass that signs a person in once so they can register a new method.",
                SettingKind::YesNo,
            ),
            setting(
                portal_settings::PASS_NEEDS_VERIFIED_CALLER,
                "Access pass needs a verified caller",
                "Whether an agent must first verify the person before issuing them a temporary access pass.",
                SettingKind::YesNo,
            ),
            setting(
                portal_settings::VIEW_NEEDS_VERIFIED_CALLER,
                "View as needs a verified caller",
                "Whether an agent must first verify the person before viewing the portal as they see it (read-only).",
                SettingKind::YesNo,
            ),
            setting(
                portal_settings::IMPERSONATION_MAX_MINUTES,
                "Longest view as (minutes)",
                "The longest an agent may view a person's portal, read-only, in one go (5 to 240).",
                SettingKind::Number,
            ),
        ],
    ),
    (
        "Temporary access passes",
        &[
            setting(
                portal_settings::ACCESS_PASS_MINUTES,
                "Pass valid for (minutes)",
                "How long a temporary access pass works after it is issued (10 to 1440).",
                SettingKind::Number,
            ),
            setting(
                portal_settings::ACCESS_PASS_REUSABLE,
                "Pass works several times",
                "Whether a pass may sign the person in more than once while it is valid; otherwise it works once.",
                SettingKind::YesNo,
            ),
        ],
    ),
];

/// A setting's value as an admin types it.
fn typed(settings: &PortalSettings, key: &str) -> String {
    let join = |items: Vec<&str>| items.join(", ");
    match key {
        portal_settings::ALLOWED_METHODS => join(
            settings
                .allowed_methods
                .iter()
                .map(|m| m.as_str())
                .collect(),
        ),
        portal_settings::ENFORCE_AFTER_REGISTRATION => {
            settings.enforce_after_registration.to_string()
        }
        portal_settings::PHONE_REGIONS => {
            join(settings.phone_regions.iter().map(String::as_str).collect())
        }
        portal_settings::USERS_MAY_CHANGE_ADMIN_PHONE => {
            settings.users_may_change_admin_phone.to_string()
        }
        portal_settings::REMEMBER_BROWSER_DAYS => settings.remember_browser_days.to_string(),
        portal_settings::APP_PASSWORDS_ALLOWED => settings.app_passwords_allowed.to_string(),
        portal_settings::APP_PASSWORDS_MAX => settings.app_passwords_max.to_string(),
        portal_settings::LOCKOUT_THRESHOLD => settings.lockout_threshold.to_string(),
        portal_settings::FRAUD_BLOCK_HOURS => settings.fraud_block_hours.to_string(),
        portal_settings::HELPDESK_MAY_UNLOCK => settings.helpdesk_may_unlock.to_string(),
        portal_settings::HELPDESK_MAY_ISSUE_PASS => settings.helpdesk_may_issue_pass.to_string(),
        portal_settings::UNLOCK_NEEDS_VERIFIED_CALLER => {
            settings.unlock_needs_verified_caller.to_string()
        }
        portal_settings::PASS_NEEDS_VERIFIED_CALLER => {
            settings.pass_needs_verified_caller.to_string()
        }
        portal_settings::ACCESS_PASS_MINUTES => settings.access_pass_minutes.to_string(),
        portal_settings::ACCESS_PASS_REUSABLE => settings.access_pass_reusable.to_string(),
        portal_settings::VIEW_NEEDS_VERIFIED_CALLER => {
            settings.view_needs_verified_caller.to_string()
        }
        portal_settings::IMPERSONATION_MAX_MINUTES => {
            settings.impersonation_max_minutes.to_string()
        }
        portal_settings::PUSH_APPROVAL => settings.push_approval.as_str().to_owned(),
        portal_settings::PUSH_PER_USER_PER_15MIN => settings.push_per_user_per_15min.to_string(),
        portal_settings::FRAUD_ALERT_ADDRESSES => join(
            settings
                .fraud_alert_addresses
                .iter()
                .map(String::as_str)
                .collect(),
        ),
        _ => String::new(),
    }
}

/// The page: every setting in force and the policy changes since `since`.
pub async fn view(
    state: &Services,
    _admin: &Admin,
    since: Option<&str>,
) -> anyhow::Result<Result<PoliciesView, FieldError>> {
    let since_day = match since.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => match parse_day(text) {
            Ok(day) => Some(day),
            Err(message) => return Ok(Err(FieldError::new("since", message))),
        },
    };
    let current = portal_settings::current(state).await?;
    let defaults = &state.policy.setting_defaults;
    let groups = GROUPS
        .iter()
        .map(|(title, settings)| PolicyGroupView {
            title: (*title).to_owned(),
            settings: settings
                .iter()
                .map(|d| SettingView {
                    key: d.key.to_owned(),
                    label: d.label.to_owned(),
                    explanation: d.explanation.to_owned(),
                    default_value: typed(defaults, d.key),
                    value: typed(&current, d.key),
                    kind: d.kind,
                })
                .collect(),
        })
        .collect();
    let from = since_day.map_or(i64::MIN, start_of_day);
    let changes = audit::of_action(&state.db, AuditAction::PolicyChanged, from, CHANGES_SHOWN)
        .await?
        .into_iter()
        .map(|row| AuditEntryView {
            when: utc_minutes(row.occurred_at),
            actor: row.actor_label,
            action: row.action.label().to_owned(),
            detail: row.detail,
        })
        .collect();
    Ok(Ok(PoliciesView {
        groups,
        changes,
        since: since_day.map(|d| d.to_string()),
    }))
}

/// Changes one setting; a value it does not accept is refused next to its field
/// (`value`), saying what is accepted.
pub async fn change(
    state: &Services,
    admin: &Verified<Admin>,
    key: &str,
    value: &str,
    ip: &str,
) -> anyhow::Result<Result<(), FieldError>> {
    if !portal_settings::KEYS.contains(&key) {
        return Ok(Err(FieldError::new(
            "key",
            "Choose one of the listed settings.",
        )));
    }
    let now = state.clock.now();
    let outcome =
        portal_settings::set(&state.db, key, value, now, &admin.audit_actor(), Some(ip)).await?;
    Ok(outcome.map_err(|accepted| FieldError::new("value", format!("Enter {accepted}."))))
}

#[cfg(test)]
mod tests {
    use super::{GROUPS, typed};
    use crate::services::portal_settings::{KEYS, PortalSettings};

    #[test]
    fn every_setting_is_on_the_page_once_and_shows_its_value() {
        let listed: Vec<&str> = GROUPS
            .iter()
            .flat_map(|(_, s)| s.iter().map(|d| d.key))
            .collect();
        let mut sorted = listed.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), listed.len(), "no setting twice");
        let mut keys = KEYS.to_vec();
        keys.sort_unstable();
        assert_eq!(sorted, keys, "every setting on the page");
        let defaults = PortalSettings::default();
        for key in KEYS {
            let mut settings = PortalSettings::default();
            settings
                .apply(key, &typed(&defaults, key))
                .unwrap_or_else(|e| panic!("{key}: {e}"));
            assert_eq!(settings, defaults, "{key} reads back as typed");
        }
    }
}
