//! The one typed configuration: defaults, then a TOML file, then `MFA_PORTAL_*`
//! environment variables (and plain `DATABASE_URL`). Bad values stop start-up with
//! the key's name and what is wrong with it.

mod environment;
mod validation;

use app::domain::{MfaState, VoiceMode};
use app::providers::mail::SmtpTls;
use environment::{ENV_PREFIX, TEXT_KEYS, text_settings_from};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP server listens on.
    pub bind: SocketAddr,
    /// The URL people use to reach the portal; `https` turns on secure cookies.
    pub public_url: Url,
    /// `sqlite://path/to/file.db` (created if missing) or `postgres://…`.
    pub database_url: String,
    /// Development mode: demo accounts on an empty database, pretty logs.
    pub dev: bool,
    /// `pretty` or `json`.
    pub log_format: LogFormat,
    /// Where the built site (`pkg/` with the wasm, CSS and static files) lives.
    pub site_root: PathBuf,
    pub session_idle_minutes: u32,
    pub session_absolute_hours: u32,
    /// Consecutive failed sign-ins that lock an account (1 to 100).
    pub lockout_threshold: u32,
    /// Length of the first lockout; each further one doubles.
    pub lockout_minutes: u32,
    pub lockout_max_minutes: u32,
    /// Sign-in attempts one client address may make per minute.
    pub sign_in_per_ip_per_minute: u32,
    pub max_body_bytes: usize,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Password hashes (Argon2id, 19 MiB each) computed at once; more wait their
    /// turn. 0: as many as the machine has cores.
    pub argon2_concurrency: u32,
    /// MFA state new accounts get.
    pub default_mfa_state: MfaState,
    /// File holding the 32-byte key that encrypts TOTP seeds at rest (base64). Created
    /// with a fresh random key, readable only by the owner, when missing.
    pub secret_key_file: PathBuf,
    /// The name authenticator apps show next to the account.
    pub totp_issuer: String,
    /// Days "remember this device" skips the second step; 0 turns it off.
    pub remember_mfa_days: u32,
    /// SMTP server for e-mail; unset means e-mails wait in the outbox.
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    /// `none`, `starttls` or `tls`.
    pub smtp_tls: SmtpTls,
    pub smtp_username: Option<String>,
    /// Never written back out or printed.
    #[serde(default, skip_serializing)]
    pub smtp_password: Option<SecretString>,
    /// Sender of the portal's e-mails, e.g. `MFA Portal <mfa@example.com>`.
    pub mail_from: String,
    /// How often the outbox worker looks for due messages.
    pub outbox_poll_seconds: u32,
    /// Tries before an e-mail is left as failed (dead letter).
    pub outbox_max_attempts: u32,
    /// Whether people may create app passwords.
    pub app_passwords_allowed: bool,
    /// Live app passwords one person may have.
    pub app_passwords_max: u32,
    /// Calls of the app-password endpoint per minute, per address and per account.
    pub api_per_minute: u32,
    /// Who receives fraud-report alerts; empty means every active admin account.
    pub fraud_alert_addresses: Vec<String>,
    /// Hours an open fraud report from a call or push blocks further texts, calls
    /// and pushes to the person; 0 blocks until an admin resolves the report.
    pub fraud_block_hours: u32,
    /// Texts and calls: `dev` (development mode only: shown on /dev/phone),
    /// `twilio` (a Twilio-style REST gateway) or `none`. Unset: `dev` in development
    /// mode, else `none`.
    pub phone_provider: Option<PhoneProviderKind>,
    /// Country the add-a-phone form starts with (ISO 3166 alpha-2).
    pub phone_default_region: String,
    /// What sign-in calls ask: `match` (type the number the sign-in page shows,
    /// then #), `press` (1#) or `code` (the call reads out a code to type).
    pub voice_mode: VoiceMode,
    /// Texts and calls per hour, per number, account, client address and country.
    pub phone_per_number_per_hour: u32,
    pub phone_per_user_per_hour: u32,
    pub phone_per_ip_per_hour: u32,
    pub phone_per_country_per_hour: u32,
    /// Tries before a text or call is given up ("we could not reach your phone").
    pub phone_max_attempts: u32,
    /// The gateway's base URL (the `twilio` provider).
    pub twilio_base_url: Url,
    pub twilio_account_sid: Option<String>,
    /// Never written back out or printed; also the key of the webhook signatures.
    #[serde(default, skip_serializing)]
    pub twilio_auth_token: Option<SecretString>,
    /// The number texts and calls come from, E.164.
    pub twilio_from_number: Option<String>,
    pub twilio_timeout_seconds: u32,
    /// Web Push to the web authenticator (optional): a P-256 key, PEM (`openssl
    /// ecparam -name prime256v1 -genkey -noout -out vapid.pem`) or base64url. Unset:
    /// no Web Push; the web authenticator polls while its page is open.
    pub vapid_private_key_file: Option<PathBuf>,
    /// The contact push services see (`mailto:` or `https:`); unset: `public_url`.
    pub vapid_subject: Option<String>,
    /// Push services a subscription may point at: host names reached over https
    /// (`*.` for subdomains), or exact origins such as `http://127.0.0.1:4000`.
    pub web_push_services: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhoneProviderKind {
    Dev,
    Twilio,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 3000)),
            public_url: Url::parse("http://127.0.0.1:3000").expect("a valid literal URL"),
            database_url: "sqlite://data/portal.db".to_owned(),
            dev: false,
            log_format: LogFormat::Pretty,
            site_root: PathBuf::from("target/site"),
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            lockout_threshold: 10,
            lockout_minutes: 15,
            lockout_max_minutes: 24 * 60,
            sign_in_per_ip_per_minute: 30,
            max_body_bytes: 64 * 1024,
            trust_forwarded_for: false,
            argon2_concurrency: 0,
            default_mfa_state: MfaState::Enabled,
            secret_key_file: PathBuf::from("data/secret.key"),
            totp_issuer: "MFA Portal".to_owned(),
            remember_mfa_days: 14,
            smtp_host: None,
            smtp_port: 587,
            smtp_tls: SmtpTls::Starttls,
            smtp_username: None,
            smtp_password: None,
            mail_from: "MFA Portal <mfa-portal@localhost>".to_owned(),
            outbox_poll_seconds: 5,
            outbox_max_attempts: 8,
            app_passwords_allowed: true,
            app_passwords_max: 20,
            api_per_minute: 60,
            fraud_alert_addresses: Vec::new(),
            fraud_block_hours: 24,
            phone_provider: None,
            phone_default_region: "NL".to_owned(),
            voice_mode: VoiceMode::Match,
            phone_per_number_per_hour: 5,
            phone_per_user_per_hour: 10,
            phone_per_ip_per_hour: 20,
            phone_per_country_per_hour: 200,
            phone_max_attempts: 4,
            twilio_base_url: Url::parse("https://api.twilio.com").expect("a valid literal URL"),
            twilio_account_sid: None,
            twilio_auth_token: None,
            twilio_from_number: None,
            twilio_timeout_seconds: 10,
            vapid_private_key_file: None,
            vapid_subject: None,
            web_push_services: app::providers::web_push::DEFAULT_SERVICES
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Parse(#[from] Box<figment::Error>),
    #[error("configuration key `{key}`: {problem}")]
    Invalid { key: &'static str, problem: String },
}

impl Config {
    /// How many password hashes may run at once: Argon2id is CPU-bound, so more
    /// than one per core only adds memory (19 MiB each), not speed.
    pub fn argon2_concurrency(&self) -> usize {
        match self.argon2_concurrency {
            0 => std::thread::available_parallelism().map_or(2, usize::from),
            n => usize::try_from(n).unwrap_or(usize::MAX),
        }
    }

    /// Loads defaults, then `file` (which must exist when given), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            if !path.is_file() {
                return Err(ConfigError::Invalid {
                    key: "--config",
                    problem: format!("no file at {}", path.display()),
                });
            }
            figment = figment.merge(Toml::file(path));
        }
        // Text settings come from the environment as written: figment would read
        // "+3197010000000" or an all-digit password as a number.
        let text_values = text_settings_from(std::env::vars_os());
        figment = figment
            .merge(
                Env::prefixed(ENV_PREFIX)
                    .ignore(&["CONFIG"])
                    .filter(|key| !TEXT_KEYS.contains(&key.as_str().to_ascii_lowercase().as_str())),
            )
            .merge(Serialized::defaults(text_values));
        let config: Config = figment.extract().map_err(Box::new)?;
        config.validate()?;
        Ok(config)
    }

    /// The phone provider in effect: the configured one, else `dev` in development
    /// mode and `none` otherwise. `dev` outside development mode is refused.
    pub fn phone_provider(&self) -> Result<PhoneProviderKind, ConfigError> {
        match self.phone_provider {
            Some(PhoneProviderKind::Dev) if !self.dev => Err(ConfigError::Invalid {
                key: "phone_provider",
                problem: "`dev` only works in development mode (--dev)".to_owned(),
            }),
            Some(kind) => Ok(kind),
            None if self.dev => Ok(PhoneProviderKind::Dev),
            None => Ok(PhoneProviderKind::None),
        }
    }

    pub fn is_https(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// The VAPID contact: the configured one, else the portal's public URL.
    pub fn vapid_subject(&self) -> String {
        self.vapid_subject
            .clone()
            .unwrap_or_else(|| self.public_url.to_string())
    }

    /// `scheme://host[:port]` of the public URL, as browsers send it in `Origin`.
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_local() {
        let config = Config::default();
        config.validate().unwrap();
        assert_eq!(config.bind.to_string(), "127.0.0.1:3000");
        assert!(!config.dev);
        assert_eq!(config.public_origin(), "http://127.0.0.1:3000");
    }

    #[test]
    fn every_text_setting_is_read_from_the_environment_as_written() {
        let vars = [
            ("MFA_PORTAL_TWILIO_FROM_NUMBER", "+3197010000000"),
            ("MFA_PORTAL_SMTP_PASSWORD", "12345678"),
            ("MFA_PORTAL_LOCKOUT_THRESHOLD", "5"),
            ("MFA_PORTAL_CONFIG", "portal.toml"),
            ("DATABASE_URL", "postgres://plain/db"),
            ("PATH", "/usr/bin"),
        ]
        .map(|(k, v)| (k.into(), v.into()));
        let values = text_settings_from(vars.into_iter());
        assert_eq!(values["twilio_from_number"], "+3197010000000");
        assert_eq!(values["smtp_password"], "12345678");
        assert_eq!(values["database_url"], "postgres://plain/db");
        assert_eq!(values.len(), 3, "{values:?}");
    }

    #[test]
    fn every_text_field_is_listed_as_a_text_key() {
        let defaults = serde_json::to_value(Config::default()).unwrap();
        for (key, value) in defaults.as_object().unwrap() {
            // Enumerations are words and cannot be mistaken for numbers.
            let enumeration = matches!(
                key.as_str(),
                "log_format" | "default_mfa_state" | "smtp_tls" | "voice_mode" | "phone_provider"
            );
            if value.is_string() && !enumeration {
                assert!(
                    TEXT_KEYS.contains(&key.as_str()),
                    "{key} is text but not in TEXT_KEYS"
                );
            }
        }
    }

    #[test]
    fn a_bad_value_names_its_key() {
        let config = Config {
            lockout_threshold: 0,
            ..Config::default()
        };
        let message = config.validate().unwrap_err().to_string();
        assert!(message.contains("`lockout_threshold`"), "{message}");
    }

    #[test]
    fn a_file_value_of_the_wrong_type_names_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portal.toml");
        std::fs::write(&path, "session_idle_minutes = \"soon\"\n").unwrap();
        let message = Config::load(Some(&path)).unwrap_err().to_string();
        assert!(message.contains("session_idle_minutes"), "{message}");
    }

    #[test]
    fn an_unknown_key_in_the_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portal.toml");
        std::fs::write(&path, "sesion_idle_minutes = 5\n").unwrap();
        let message = Config::load(Some(&path)).unwrap_err().to_string();
        assert!(message.contains("sesion_idle_minutes"), "{message}");
    }

    #[test]
    fn an_issuer_with_a_colon_is_refused_because_it_splits_the_app_label() {
        let config = Config {
            totp_issuer: "Contoso: MFA".into(),
            ..Config::default()
        };
        assert!(
            config
                .validate()
                .unwrap_err()
                .to_string()
                .contains("`totp_issuer`")
        );
    }

    #[test]
    fn web_push_needs_a_mailto_or_https_contact_and_a_push_service() {
        let plain_contact = Config {
            vapid_subject: Some("security@example.com".into()),
            ..Config::default()
        };
        let error = plain_contact.validate().unwrap_err().to_string();
        assert!(error.contains("`vapid_subject`"), "{error}");
        let nowhere = Config {
            vapid_private_key_file: Some("vapid.pem".into()),
            web_push_services: Vec::new(),
            ..Config::default()
        };
        let error = nowhere.validate().unwrap_err().to_string();
        assert!(error.contains("`web_push_services`"), "{error}");
    }

    #[test]
    fn a_missing_config_file_is_an_error() {
        let message = Config::load(Some(Path::new("/nonexistent/portal.toml")))
            .unwrap_err()
            .to_string();
        assert!(message.contains("no file"), "{message}");
    }
}
