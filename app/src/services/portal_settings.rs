//! Policy an admin changes while the portal runs (the `policy_settings` table):
//! which second-step methods are allowed, phone countries and organisation phones,
//! MFA states after registration, remembered browsers, app passwords, lockout and
//! fraud reports. The configuration file gives the starting values
//! (`SecurityPolicy::setting_defaults`); a stored row overrides one.

use super::audit::{self, Actor, AuditRecord};
use crate::domain::AuditAction;
use crate::domain::text::escape_control;
use crate::domain::{EmailAddress, PushApproval, SignInMethod};
use crate::state::Services;
use crate::store::{Db, settings};
use anyhow::Context;

pub const ALLOWED_METHODS: &str = "allowed_methods";
pub const PHONE_REGIONS: &str = "phone_regions";
pub const USERS_MAY_CHANGE_ADMIN_PHONE: &str = "users_may_change_admin_phone";
pub const ENFORCE_AFTER_REGISTRATION: &str = "enforce_after_registration";
pub const REMEMBER_BROWSER_DAYS: &str = "remember_browser_days";
pub const APP_PASSWORDS_ALLOWED: &str = "app_passwords_allowed";
pub const APP_PASSWORDS_MAX: &str = "app_passwords_max";
pub const LOCKOUT_THRESHOLD: &str = "lockout_threshold";
pub const FRAUD_BLOCK_HOURS: &str = "fraud_block_hours";
pub const FRAUD_ALERT_ADDRESSES: &str = "fraud_alert_addresses";
pub const HELPDESK_MAY_UNLOCK: &str = "helpdesk_may_unlock";
pub const HELPDESK_MAY_ISSUE_PASS: &str = "helpdesk_may_issue_pass";
pub const UNLOCK_NEEDS_VERIFIED_CALLER: &str = "unlock_needs_verified_caller";
pub const PASS_NEEDS_VERIFIED_CALLER: &str = "pass_needs_verified_caller";
pub const ACCESS_PASS_MINUTES: &str = "access_pass_minutes";
pub const ACCESS_PASS_REUSABLE: &str = "access_pass_reusable";
pub const VIEW_NEEDS_VERIFIED_CALLER: &str = "view_needs_verified_caller";
pub const IMPERSONATION_MAX_MINUTES: &str = "impersonation_max_minutes";
pub const PUSH_APPROVAL: &str = "push_approval";
pub const PUSH_PER_USER_PER_15MIN: &str = "push_per_user_per_15min";
pub const KEYS: [&str; 20] = [
    ALLOWED_METHODS,
    PUSH_APPROVAL,
    PUSH_PER_USER_PER_15MIN,
    ENFORCE_AFTER_REGISTRATION,
    PHONE_REGIONS,
    USERS_MAY_CHANGE_ADMIN_PHONE,
    REMEMBER_BROWSER_DAYS,
    APP_PASSWORDS_ALLOWED,
    APP_PASSWORDS_MAX,
    LOCKOUT_THRESHOLD,
    FRAUD_BLOCK_HOURS,
    FRAUD_ALERT_ADDRESSES,
    HELPDESK_MAY_UNLOCK,
    HELPDESK_MAY_ISSUE_PASS,
    UNLOCK_NEEDS_VERIFIED_CALLER,
    PASS_NEEDS_VERIFIED_CALLER,
    ACCESS_PASS_MINUTES,
    ACCESS_PASS_REUSABLE,
    VIEW_NEEDS_VERIFIED_CALLER,
    IMPERSONATION_MAX_MINUTES,
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortalSettings {
    /// Default: every method.
    pub allowed_methods: Vec<SignInMethod>,
    /// ISO alpha-2 regions phone numbers may come from; empty means all.
    pub phone_regions: Vec<String>,
    /// Default: yes.
    pub users_may_change_admin_phone: bool,
    /// An enabled person's state becomes enforced once they register a method, as
    /// in Entra's per-user MFA. Default: yes.
    pub enforce_after_registration: bool,
    /// Days a "remember this browser" choice lasts; 0 turns the choice off.
    pub remember_browser_days: i64,
    pub app_passwords_allowed: bool,
    /// Live app passwords one person may have.
    pub app_passwords_max: i64,
    /// Consecutive wrong passwords or codes that lock an account.
    pub lockout_threshold: i64,
    /// How long an open fraud report from a call or push blocks further prompts;
    /// 0 means until an admin resolves it.
    pub fraud_block_hours: i64,
    /// Who receives fraud-report alerts; empty means every active admin.
    pub fraud_alert_addresses: Vec<String>,
    /// Whether helpdesk agents may unlock accounts. Default: yes.
    pub helpdesk_may_unlock: bool,
    /// Whether helpdesk agents may issue temporary access passes. Default: yes.
    pub helpdesk_may_issue_pass: bool,
    /// Whether a helpdesk unlock needs the caller verified first. Default: yes.
    pub unlock_needs_verified_caller: bool,
    /// Whether a helpdesk access pass needs the caller verified first. Default: yes.
    pub pass_needs_verified_caller: bool,
    /// How long a temporary access pass stays valid. Default: 60 minutes.
    pub access_pass_minutes: i64,
    /// Whether a pass may be used for several sign-ins within its time (else once).
    pub access_pass_reusable: bool,
    /// Whether "view as" needs the caller verified first. Default: yes.
    pub view_needs_verified_caller: bool,
    /// The longest "view as" an agent may start. Default: 60 minutes.
    pub impersonation_max_minutes: i64,
    /// How app notifications are approved. Default: pick the number (number matching).
    pub push_approval: PushApproval,
    /// App notifications one person may be sent per 15 minutes. Default: 5.
    pub push_per_user_per_15min: i64,
}

/// The built-in starting values, the same as the configuration file's defaults.
impl Default for PortalSettings {
    fn default() -> Self {
        Self {
            allowed_methods: SignInMethod::ALL.to_vec(),
            phone_regions: Vec::new(),
            users_may_change_admin_phone: true,
            enforce_after_registration: true,
            remember_browser_days: 14,
            app_passwords_allowed: true,
            app_passwords_max: 20,
            lockout_threshold: 10,
            fraud_block_hours: 24,
            fraud_alert_addresses: Vec::new(),
            helpdesk_may_unlock: true,
            helpdesk_may_issue_pass: true,
            unlock_needs_verified_caller: true,
            pass_needs_verified_caller: true,
            access_pass_minutes: 60,
            access_pass_reusable: false,
            view_needs_verified_caller: true,
            impersonation_max_minutes: 60,
            push_approval: PushApproval::Pick,
            push_per_user_per_15min: 5,
        }
    }
}

impl PortalSettings {
    pub fn allows(&self, method: SignInMethod) -> bool {
        self.allowed_methods.contains(&method)
    }

    pub fn allows_region(&self, region: &str) -> bool {
        self.phone_regions.is_empty() || self.phone_regions.iter().any(|r| r == region)
    }

    /// Applies one stored or typed setting; the error says what is accepted.
    pub fn apply(&mut self, key: &str, value: &str) -> Result<(), String> {
        let items = || {
            value
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
        };
        match key {
            ALLOWED_METHODS => {
                let methods: Option<Vec<SignInMethod>> = items().map(SignInMethod::parse).collect();
                let methods = methods.ok_or_else(|| {
                    "a comma-separated list of app_notification, app_code, phone_call, sms"
                        .to_owned()
                })?;
                if methods.is_empty() {
                    return Err("at least one method must stay allowed".to_owned());
                }
                if methods.iter().all(|m| m.is_restricted()) {
                    // NIST SP 800-63B: texts and calls are restricted authenticators,
                    // never the only option a person is given.
                    return Err(
                        "texts and calls are restricted authenticators: allow app_notification or app_code too"
                            .to_owned(),
                    );
                }
                self.allowed_methods = methods;
            }
            PHONE_REGIONS => {
                let regions: Vec<String> = items().map(str::to_ascii_uppercase).collect();
                if regions
                    .iter()
                    .any(|r| isocountry::CountryCode::for_alpha2(r).is_err())
                {
                    return Err(
                        "a comma-separated list of two-letter country codes (empty: all)"
                            .to_owned(),
                    );
                }
                self.phone_regions = regions;
            }
            USERS_MAY_CHANGE_ADMIN_PHONE => self.users_may_change_admin_phone = yes_or_no(value)?,
            ENFORCE_AFTER_REGISTRATION => self.enforce_after_registration = yes_or_no(value)?,
            REMEMBER_BROWSER_DAYS => self.remember_browser_days = whole(value, 0, 365)?,
            APP_PASSWORDS_ALLOWED => self.app_passwords_allowed = yes_or_no(value)?,
            APP_PASSWORDS_MAX => self.app_passwords_max = whole(value, 1, 100)?,
            LOCKOUT_THRESHOLD => self.lockout_threshold = whole(value, 1, 100)?,
            FRAUD_BLOCK_HOURS => self.fraud_block_hours = whole(value, 0, 8760)?,
            HELPDESK_MAY_UNLOCK => self.helpdesk_may_unlock = yes_or_no(value)?,
            HELPDESK_MAY_ISSUE_PASS => self.helpdesk_may_issue_pass = yes_or_no(value)?,
            UNLOCK_NEEDS_VERIFIED_CALLER => self.unlock_needs_verified_caller = yes_or_no(value)?,
            PASS_NEEDS_VERIFIED_CALLER => self.pass_needs_verified_caller = yes_or_no(value)?,
            ACCESS_PASS_MINUTES => self.access_pass_minutes = whole(value, 10, 1440)?,
            ACCESS_PASS_REUSABLE => self.access_pass_reusable = yes_or_no(value)?,
            VIEW_NEEDS_VERIFIED_CALLER => self.view_needs_verified_caller = yes_or_no(value)?,
            IMPERSONATION_MAX_MINUTES => self.impersonation_max_minutes = whole(value, 5, 240)?,
            PUSH_APPROVAL => {
                self.push_approval = PushApproval::parse(value.trim())
                    .ok_or_else(|| "approve, pick or type".to_owned())?;
            }
            PUSH_PER_USER_PER_15MIN => self.push_per_user_per_15min = whole(value, 1, 50)?,
            FRAUD_ALERT_ADDRESSES => {
                let addresses: Result<Vec<String>, _> = items()
                    .map(|a| EmailAddress::parse(a).map(|e| e.as_str().to_owned()))
                    .collect();
                self.fraud_alert_addresses = addresses.map_err(|_| {
                    "e-mail addresses separated by commas (empty: every active admin)".to_owned()
                })?;
            }
            _ => return Err(format!("unknown setting; known: {}", KEYS.join(", "))),
        }
        Ok(())
    }
}

fn whole(value: &str, min: i64, max: i64) -> Result<i64, String> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| format!("a whole number from {min} to {max}"))
}

fn yes_or_no(value: &str) -> Result<bool, String> {
    match value.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("true or false".to_owned()),
    }
}

/// The settings in force: `defaults` (from the configuration) overridden by stored
/// rows. A stored value that no longer parses is logged and ignored rather than
/// locking everyone out.
pub async fn load(db: &Db, defaults: &PortalSettings) -> anyhow::Result<PortalSettings> {
    let mut current = defaults.clone();
    for (key, value) in settings::all(db).await? {
        if let Err(problem) = current.apply(&key, &value) {
            tracing::error!(%key, %problem, "ignoring a stored policy setting");
        }
    }
    Ok(current)
}

/// The settings in force for a service.
pub async fn current(state: &Services) -> anyhow::Result<PortalSettings> {
    load(&state.db, &state.policy.setting_defaults).await
}

/// Validates and stores one setting, recorded in the audit log with the value it
/// replaced.
pub async fn set(
    db: &Db,
    key: &str,
    value: &str,
    now: i64,
    actor: &Actor,
    ip: Option<&str>,
) -> anyhow::Result<Result<(), String>> {
    let mut probe = PortalSettings::default();
    if let Err(problem) = probe.apply(key, value) {
        return Ok(Err(problem));
    }
    let value = value.trim();
    let before = settings::all(db)
        .await?
        .into_iter()
        .find(|(k, _)| k == key)
        .map_or_else(|| "(default)".to_owned(), |(_, v)| v);
    let mut tx = db.begin().await?;
    settings::set(&mut *tx, key, value, now).await?;
    let detail = escape_control(&format!("{key}: {before} -> {value}"), 512);
    let record = AuditRecord {
        actor,
        subject: None,
        action: AuditAction::PolicyChanged,
        detail: &detail,
        ip,
    };
    audit::record(&mut *tx, now, record).await?;
    tx.commit().await.context("committing a policy change")?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse_and_refuse_with_what_is_accepted() {
        let mut settings = PortalSettings::default();
        assert!(settings.allows(SignInMethod::Sms));
        settings
            .apply(ALLOWED_METHODS, "app_code, phone_call")
            .unwrap();
        assert!(!settings.allows(SignInMethod::Sms));
        assert!(settings.allows(SignInMethod::PhoneCall));
        assert!(settings.apply(ALLOWED_METHODS, "").is_err());
        assert!(settings.apply(ALLOWED_METHODS, "sms, fax").is_err());
        let restricted_only = settings.apply(ALLOWED_METHODS, "sms, phone_call");
        assert!(restricted_only.unwrap_err().contains("restricted"));
        assert!(
            settings.allows(SignInMethod::AppCode),
            "a refusal changes nothing"
        );
        settings
            .apply(ALLOWED_METHODS, "app_notification, sms")
            .unwrap();
        settings.apply(PHONE_REGIONS, "nl, BE").unwrap();
        assert!(settings.allows_region("NL") && !settings.allows_region("US"));
        assert!(settings.apply(PHONE_REGIONS, "XX").is_err());
        settings.apply(PHONE_REGIONS, "").unwrap();
        assert!(settings.allows_region("US"));
        settings
            .apply(USERS_MAY_CHANGE_ADMIN_PHONE, "false")
            .unwrap();
        assert!(!settings.users_may_change_admin_phone);
        assert!(settings.apply(USERS_MAY_CHANGE_ADMIN_PHONE, "no").is_err());
        assert!(
            settings.enforce_after_registration,
            "Entra's behaviour by default"
        );
        settings.apply(ENFORCE_AFTER_REGISTRATION, "false").unwrap();
        assert!(!settings.enforce_after_registration);
        assert!(
            settings
                .apply(ENFORCE_AFTER_REGISTRATION, "sometimes")
                .is_err()
        );
        assert!(settings.apply("colour", "blue").is_err());
    }
}
