//! Checking a loaded configuration, one section at a time: the web server, sessions
//! and lockout, mail, app passwords and fraud alerts, phones. Each check names the
//! key at fault and what is wrong with it.

use super::{Config, ConfigError, PhoneProviderKind};

type Checked = Result<(), ConfigError>;

fn invalid(key: &'static str, problem: &str) -> Checked {
    Err(ConfigError::Invalid {
        key,
        problem: problem.to_owned(),
    })
}

impl Config {
    pub fn validate(&self) -> Checked {
        self.validate_web()?;
        self.validate_sessions()?;
        self.validate_lockout()?;
        self.validate_mail()?;
        self.validate_app_passwords_and_fraud()?;
        self.validate_phone()?;
        self.validate_web_push()
    }

    fn validate_web_push(&self) -> Checked {
        if let Some(subject) = &self.vapid_subject
            && !(subject.starts_with("mailto:") || subject.starts_with("https:"))
        {
            return invalid("vapid_subject", "must be a mailto: or https: URL");
        }
        if self.vapid_private_key_file.is_some() && self.web_push_services.is_empty() {
            return invalid("web_push_services", "must list at least one push service");
        }
        Ok(())
    }

    fn validate_web(&self) -> Checked {
        if !matches!(self.public_url.scheme(), "http" | "https") || self.public_url.host().is_none()
        {
            return invalid(
                "public_url",
                "must be an http:// or https:// URL with a host",
            );
        }
        if !(self.database_url.starts_with("sqlite:")
            || self.database_url.starts_with("postgres:")
            || self.database_url.starts_with("postgresql:"))
        {
            return invalid("database_url", "must start with sqlite: or postgres:");
        }
        if !(1024..=16 * 1024 * 1024).contains(&self.max_body_bytes) {
            return invalid("max_body_bytes", "must be between 1024 and 16777216");
        }
        Ok(())
    }

    fn validate_sessions(&self) -> Checked {
        if self.session_idle_minutes == 0 {
            return invalid("session_idle_minutes", "must be at least 1");
        }
        if self.session_absolute_hours == 0 {
            return invalid("session_absolute_hours", "must be at least 1");
        }
        if u64::from(self.session_idle_minutes) > u64::from(self.session_absolute_hours) * 60 {
            return invalid(
                "session_idle_minutes",
                "must not exceed session_absolute_hours",
            );
        }
        if self.remember_mfa_days > 365 {
            return invalid("remember_mfa_days", "must be between 0 and 365");
        }
        let issuer_len = self.totp_issuer.chars().count();
        if !(1..=64).contains(&issuer_len)
            || self.totp_issuer.contains(':')
            || self.totp_issuer.chars().any(char::is_control)
        {
            return invalid("totp_issuer", "must have 1 to 64 characters and no colon");
        }
        Ok(())
    }

    fn validate_lockout(&self) -> Checked {
        if !(1..=100).contains(&self.lockout_threshold) {
            return invalid("lockout_threshold", "must be between 1 and 100");
        }
        if self.lockout_minutes == 0 || self.lockout_max_minutes < self.lockout_minutes {
            return invalid(
                "lockout_minutes",
                "must be at least 1 and at most lockout_max_minutes",
            );
        }
        if self.sign_in_per_ip_per_minute == 0 {
            return invalid("sign_in_per_ip_per_minute", "must be at least 1");
        }
        if self.api_per_minute == 0 {
            return invalid("api_per_minute", "must be at least 1");
        }
        Ok(())
    }

    fn validate_mail(&self) -> Checked {
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return invalid(
                "mail_from",
                "must be an address like `MFA Portal <mfa@example.com>`",
            );
        }
        if self.outbox_poll_seconds == 0 || self.outbox_max_attempts == 0 {
            return invalid(
                "outbox_poll_seconds",
                "outbox_poll_seconds and outbox_max_attempts must be at least 1",
            );
        }
        if self.smtp_username.is_some() != self.smtp_password.is_some() {
            return invalid(
                "smtp_username",
                "set both smtp_username and smtp_password, or neither",
            );
        }
        Ok(())
    }

    fn validate_app_passwords_and_fraud(&self) -> Checked {
        if !(1..=100).contains(&self.app_passwords_max) {
            return invalid("app_passwords_max", "must be between 1 and 100");
        }
        if self
            .fraud_alert_addresses
            .iter()
            .any(|a| app::domain::EmailAddress::parse(a).is_err())
        {
            return invalid(
                "fraud_alert_addresses",
                "must be a list of e-mail addresses like [\"security@example.com\"]",
            );
        }
        Ok(())
    }

    fn validate_phone(&self) -> Checked {
        if isocountry::CountryCode::for_alpha2(&self.phone_default_region).is_err() {
            return invalid(
                "phone_default_region",
                "must be a two-letter country code like NL",
            );
        }
        let limits = [
            self.phone_per_number_per_hour,
            self.phone_per_user_per_hour,
            self.phone_per_ip_per_hour,
            self.phone_per_country_per_hour,
            self.phone_max_attempts,
        ];
        if limits.contains(&0) {
            return invalid(
                "phone_per_number_per_hour",
                "the phone_per_… limits and phone_max_attempts must be at least 1",
            );
        }
        if self.twilio_timeout_seconds == 0 || self.twilio_timeout_seconds > 120 {
            return invalid("twilio_timeout_seconds", "must be between 1 and 120");
        }
        if self.phone_provider == Some(PhoneProviderKind::Twilio) {
            self.validate_twilio()?;
        }
        Ok(())
    }

    fn validate_twilio(&self) -> Checked {
        if self.twilio_account_sid.as_deref().is_none_or(str::is_empty)
            || self.twilio_auth_token.is_none()
        {
            return invalid(
                "twilio_account_sid",
                "the twilio provider needs twilio_account_sid and twilio_auth_token",
            );
        }
        let from_ok = self
            .twilio_from_number
            .as_deref()
            .is_some_and(|n| app::domain::PhoneNumber::parse("", n).is_ok());
        if !from_ok {
            return invalid(
                "twilio_from_number",
                "must be a valid number in international form, like +3197010000000",
            );
        }
        Ok(())
    }
}
