//! Settings from the environment: `MFA_PORTAL_<KEY>`, and plain `DATABASE_URL`.
//! Text settings are taken as written (figment would read "+3197010000000" or an
//! all-digit password as a number).

pub(super) const ENV_PREFIX: &str = "MFA_PORTAL_";

/// Keys whose values are text, whatever they look like. `MFA_PORTAL_CONFIG` names
/// the file (read by the command line) and is not a key.
pub(super) const TEXT_KEYS: &[&str] = &[
    "bind",
    "public_url",
    "database_url",
    "site_root",
    "secret_key_file",
    "totp_issuer",
    "smtp_host",
    "smtp_username",
    "smtp_password",
    "mail_from",
    "phone_default_region",
    "twilio_base_url",
    "twilio_account_sid",
    "twilio_auth_token",
    "twilio_from_number",
    "vapid_private_key_file",
    "vapid_subject",
];

/// The text settings among environment variables: plain `DATABASE_URL`, then
/// `MFA_PORTAL_<KEY>` (which wins).
pub(super) fn text_settings_from(
    vars: impl Iterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
) -> std::collections::BTreeMap<String, String> {
    let mut plain_database_url = None;
    let mut values = std::collections::BTreeMap::new();
    for (name, value) in vars {
        let (Some(name), Some(value)) = (name.to_str(), value.to_str()) else {
            continue;
        };
        if name == "DATABASE_URL" {
            plain_database_url = Some(value.to_owned());
        } else if let Some(key) = name.strip_prefix(ENV_PREFIX) {
            let key = key.to_ascii_lowercase();
            if TEXT_KEYS.contains(&key.as_str()) {
                values.insert(key, value.to_owned());
            }
        }
    }
    if let Some(url) = plain_database_url {
        values.entry("database_url".to_owned()).or_insert(url);
    }
    values
}
