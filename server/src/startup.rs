//! Building the running portal: database, state, router, listener. `main` and the
//! integration tests both come through here.

use crate::config::{Config, PhoneProviderKind};
use crate::database::{self, SessionBackend};
use crate::demo::{self, DemoAccount};
use crate::routes;
use anyhow::Context;
use app::providers::web_push::{WebPushSender, WebPushSettings};
use app::services::passwords::PasswordHasher;
use app::services::portal_settings::PortalSettings;
use app::services::secret_box::Keys;
use app::services::{Clock, SystemClock};
use app::state::{AppState, PhonePolicy, SecurityPolicy, Services};
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_sessions::ExpiredDeletion;

/// The name cargo-leptos gives the wasm, JS and CSS files (`output-name`).
pub const OUTPUT_NAME: &str = "mfa-portal";

/// A portal serving requests until [`RunningApp::stop`] or drop.
pub struct RunningApp {
    pub addr: SocketAddr,
    pub state: AppState,
    /// Demo accounts created by this start (development mode, empty database).
    pub demo_accounts: Vec<DemoAccount>,
    shutdown: Option<oneshot::Sender<()>>,
    server: JoinHandle<std::io::Result<()>>,
    background: Vec<JoinHandle<()>>,
}

impl RunningApp {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, finishes in-flight requests, stops workers.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        (&mut self.server)
            .await
            .context("the server task failed")?
            .context("serving HTTP")?;
        for task in &self.background {
            task.abort();
        }
        Ok(())
    }
}

impl Drop for RunningApp {
    fn drop(&mut self) {
        self.server.abort();
        for task in &self.background {
            task.abort();
        }
    }
}

pub async fn build(config: Config) -> anyhow::Result<RunningApp> {
    build_with_clock(config, Arc::new(SystemClock)).await
}

/// As [`build`], with a clock the caller controls (tests move it by hand).
pub async fn build_with_clock(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<RunningApp> {
    let database = database::connect(&config.database_url).await?;
    let state = app_state(&config, database.db, clock).await?;
    let demo_accounts = if config.dev {
        demo::seed_if_empty(&state).await?
    } else {
        Vec::new()
    };
    let mut background = spawn_background(&state, &database.sessions);
    if let Some(worker) = crate::mail_worker::spawn(&config, &state)? {
        background.push(worker);
    }
    if let Some(worker) = crate::phone_worker::spawn(&config, &state)? {
        background.push(worker);
    }
    background.push(crate::import_worker::spawn(&state));
    let router = routes::router(state.clone(), &config, database.sessions);
    let listener = TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("binding {} (config key `bind`)", config.bind))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    let (shutdown, stopped) = oneshot::channel::<()>();
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move {
        axum::serve(listener, service)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await
    });
    tracing::info!(%addr, dev = config.dev, "portal listening");
    Ok(RunningApp {
        addr,
        state,
        demo_accounts,
        shutdown: Some(shutdown),
        server,
        background,
    })
}

/// The state every handler shares, for the server and for CLI commands.
pub async fn app_state(
    config: &Config,
    db: app::store::Db,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<AppState> {
    let hashing = config.argon2_concurrency();
    let hasher = tokio::task::spawn_blocking(move || PasswordHasher::new(hashing))
        .await
        .context("joining the hasher set-up")??;
    let master_key = crate::keys::load_or_create(&config.secret_key_file)?;
    Ok(AppState {
        services: Services {
            db,
            clock,
            policy: Arc::new(security_policy(config)?),
            hasher,
            keys: Arc::new(Keys::from_master(&master_key)),
            phone_outbox: Arc::new(tokio::sync::Notify::new()),
            push_answers: Arc::new(tokio::sync::Notify::new()),
            web_push: web_push_sender(config)?,
        },
        leptos_options: leptos_options(config),
    })
}

/// The Web Push sender, where a VAPID key file is configured.
fn web_push_sender(config: &Config) -> anyhow::Result<Option<Arc<WebPushSender>>> {
    let Some(path) = &config.vapid_private_key_file else {
        return Ok(None);
    };
    let private_key = zeroize::Zeroizing::new(
        std::fs::read_to_string(path)
            .with_context(|| format!("reading vapid_private_key_file {}", path.display()))?,
    );
    let sender = WebPushSender::new(WebPushSettings {
        private_key,
        subject: config.vapid_subject(),
        services: config.web_push_services.clone(),
        timeout: Duration::from_secs(10),
    })
    .with_context(|| format!("vapid_private_key_file {}", path.display()))?;
    Ok(Some(Arc::new(sender)))
}

fn security_policy(config: &Config) -> anyhow::Result<SecurityPolicy> {
    let phone_available = config.phone_provider()? != PhoneProviderKind::None;
    Ok(SecurityPolicy {
        lockout_base_secs: i64::from(config.lockout_minutes) * 60,
        lockout_max_secs: i64::from(config.lockout_max_minutes) * 60,
        sign_in_per_ip_per_minute: i64::from(config.sign_in_per_ip_per_minute),
        api_per_minute: i64::from(config.api_per_minute),
        session_idle_secs: i64::from(config.session_idle_minutes) * 60,
        session_absolute_secs: i64::from(config.session_absolute_hours) * 3600,
        trust_forwarded_for: config.trust_forwarded_for,
        default_mfa_state: config.default_mfa_state,
        totp_issuer: config.totp_issuer.clone(),
        secure_cookies: config.is_https(),
        portal_url: config.public_url.to_string(),
        dev_mode: config.dev,
        phone: PhonePolicy {
            available: phone_available,
            default_region: config.phone_default_region.clone(),
            voice_mode: config.voice_mode,
            per_number_per_hour: i64::from(config.phone_per_number_per_hour),
            per_user_per_hour: i64::from(config.phone_per_user_per_hour),
            per_ip_per_hour: i64::from(config.phone_per_ip_per_hour),
            per_region_per_hour: i64::from(config.phone_per_country_per_hour),
        },
        setting_defaults: setting_defaults(config),
    })
}

/// The run-time policy's starting values, from the configuration file.
pub fn setting_defaults(config: &Config) -> PortalSettings {
    PortalSettings {
        remember_browser_days: i64::from(config.remember_mfa_days),
        app_passwords_allowed: config.app_passwords_allowed,
        app_passwords_max: i64::from(config.app_passwords_max),
        lockout_threshold: i64::from(config.lockout_threshold),
        fraud_block_hours: i64::from(config.fraud_block_hours),
        fraud_alert_addresses: config.fraud_alert_addresses.clone(),
        ..PortalSettings::default()
    }
}

fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(config.bind)
        .build()
}

/// Expired-session sweeping and forgetting finished rate-limit windows.
fn spawn_background(state: &AppState, sessions: &SessionBackend) -> Vec<JoinHandle<()>> {
    let sweep_every = Duration::from_secs(15 * 60);
    let session_sweeper = match sessions {
        SessionBackend::Sqlite(store) => spawn_sweeper(store.clone(), sweep_every),
        SessionBackend::Postgres(store) => spawn_sweeper(store.clone(), sweep_every),
    };
    let sweep_state = state.clone();
    let minute_chores = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            let now = sweep_state.clock.now();
            if let Err(err) =
                app::store::rate_limits::delete_expired(sweep_state.db.pool(), now).await
            {
                tracing::warn!(error = ?err, "forgetting finished rate-limit windows failed");
            }
            let quiet_since = now - sweep_state.policy.session_absolute_secs;
            if let Err(err) =
                app::store::user_sessions::delete_stale(&sweep_state.db, quiet_since).await
            {
                tracing::warn!(error = ?err, "forgetting old session descriptions failed");
            }
            if let Err(err) =
                app::store::methods::delete_expired_pending(&sweep_state.db, now).await
            {
                tracing::warn!(error = ?err, "sweeping expired enrolments failed");
            }
        }
    });
    vec![session_sweeper, minute_chores]
}

fn spawn_sweeper<S: ExpiredDeletion + Clone + 'static>(
    store: S,
    every: Duration,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        if let Err(err) = store.continuously_delete_expired(every).await {
            tracing::error!(error = %err, "expired-session sweeping stopped");
        }
    })
}
