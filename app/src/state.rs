//! What every request handler on the server shares.

use crate::domain::{MfaState, VoiceMode};
use crate::providers::web_push::WebPushSender;
use crate::services::Clock;
use crate::services::passwords::PasswordHasher;
use crate::services::portal_settings::PortalSettings;
use crate::services::secret_box::Keys;
use crate::store::Db;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// The security settings the services apply, taken from the configuration.
#[derive(Clone, Debug)]
pub struct SecurityPolicy {
    /// The first lockout's length; each further one doubles, up to `lockout_max_secs`.
    pub lockout_base_secs: i64,
    pub lockout_max_secs: i64,
    /// Password sign-ins one address may try per minute (all instances together).
    pub sign_in_per_ip_per_minute: i64,
    /// Non-browser API calls per minute, per address and per account name.
    pub api_per_minute: i64,
    pub session_idle_secs: i64,
    pub session_absolute_secs: i64,
    /// Take the client address from the last `X-Forwarded-For` entry (behind a proxy).
    pub trust_forwarded_for: bool,
    pub default_mfa_state: MfaState,
    /// The issuer name authenticator apps show next to the account.
    pub totp_issuer: String,
    /// Whether cookies the portal sets itself (remembered devices) need TLS.
    pub secure_cookies: bool,
    /// The portal's public address, for links in e-mails.
    pub portal_url: String,
    /// Development mode: the development phone and `/dev/phone` exist.
    pub dev_mode: bool,
    pub phone: PhonePolicy,
    /// Where the run-time policy starts (lockout threshold, remembered browsers,
    /// app passwords, fraud block and alerts, ...): the configuration file's values.
    /// Services read the policy in force with `portal_settings::current`.
    pub setting_defaults: PortalSettings,
}

/// Texts and calls: how calls work and how much one number, person, address or
/// country may be sent per hour.
#[derive(Clone, Debug)]
pub struct PhonePolicy {
    /// Whether a provider is configured; without one phones cannot be added or used.
    pub available: bool,
    /// The country the add-a-phone form starts with (ISO alpha-2).
    pub default_region: String,
    /// What sign-in calls ask of the person who answers.
    pub voice_mode: VoiceMode,
    pub per_number_per_hour: i64,
    pub per_user_per_hour: i64,
    pub per_ip_per_hour: i64,
    pub per_region_per_hour: i64,
}

/// What every service is given: the database, the clock, the settings, the keys and
/// the hasher. No web-framework type: services are called the same way from server
/// functions, `/api/v1`, webhooks, the CLI and the workers.
#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub policy: Arc<SecurityPolicy>,
    pub hasher: PasswordHasher,
    pub keys: Arc<Keys>,
    /// Wakes the phone delivery worker when a text or call is queued.
    pub phone_outbox: Arc<tokio::sync::Notify>,
    /// Wakes sign-in pages waiting on an app notification when a device answers.
    pub push_answers: Arc<tokio::sync::Notify>,
    /// Web Push to web authenticators, where a VAPID key is configured.
    pub web_push: Option<Arc<WebPushSender>>,
}

/// The web process's state: the services and what Leptos needs to render.
#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub leptos_options: LeptosOptions,
}

/// Handlers hand `&state` to a service, which takes `&Services`.
impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.services
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
