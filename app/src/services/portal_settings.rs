//! Policy an admin changes while the portal runs (the `policy_settings` table):
//! which second-step methods are allowed, which countries phone numbers may come
//! from, and whether people may replace a phone their organisation set.

use super::audit::{self, Actor, AuditRecord};
use crate::domain::AuditAction;
use crate::domain::SignInMethod;
use crate::domain::text::escape_control;
use crate::store::{Db, settings};
use anyhow::Context;

pub const ALLOWED_METHODS: &str = "allowed_methods";
pub const PHONE_REGIONS: &str = "phone_regions";
pub const USERS_MAY_CHANGE_ADMIN_PHONE: &str = "users_may_change_admin_phone";
pub const ENFORCE_AFTER_REGISTRATION: &str = "enforce_after_registration";
pub const KEYS: [&str; 4] = [
    ALLOWED_METHODS,
    PHONE_REGIONS,
    USERS_MAY_CHANGE_ADMIN_PHONE,
    ENFORCE_AFTER_REGISTRATION,
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
}

impl Default for PortalSettings {
    fn default() -> Self {
        Self {
            allowed_methods: SignInMethod::ALL.to_vec(),
            phone_regions: Vec::new(),
            users_may_change_admin_phone: true,
            enforce_after_registration: true,
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
            _ => return Err(format!("unknown setting; known: {}", KEYS.join(", "))),
        }
        Ok(())
    }
}

fn yes_or_no(value: &str) -> Result<bool, String> {
    match value.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("true or false".to_owned()),
    }
}

/// The settings in force: defaults overridden by stored rows. A stored value that
/// no longer parses is logged and ignored rather than locking everyone out.
pub async fn load(db: &Db) -> anyhow::Result<PortalSettings> {
    let mut current = PortalSettings::default();
    for (key, value) in settings::all(db).await? {
        if let Err(problem) = current.apply(&key, &value) {
            tracing::error!(%key, %problem, "ignoring a stored policy setting");
        }
    }
    Ok(current)
}

/// Validates and stores one setting, recorded in the audit log with the value it
/// replaced.
pub async fn set(
    db: &Db,
    key: &str,
    value: &str,
    now: i64,
    actor: &Actor,
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
        ip: None,
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
