//! Starting the real portal for a test: a fresh database (SQLite file, or a new
//! PostgreSQL database when `TEST_DATABASE_URL` is set), a manual clock, and an
//! HTTP client with a cookie jar.

use app::domain::{EmailAddress, MfaState, Role, Username};
use app::services::ManualClock;
use app::services::accounts::{self, FirstPassword, NewAccount};
use app::services::audit::Actor;
use app::store::UserId;
use reqwest::header::{HeaderMap, HeaderValue, ORIGIN};
use reqwest::redirect::Policy;
use reqwest::{Client, Response};
use secrecy::SecretString;
use server::config::Config;
use server::startup::{self, RunningApp};
use std::sync::Arc;

/// 2026-11-22 12:00 UTC.
pub const START_TIME: i64 = 1_795_348_800;
pub const PASSWORD: &str = "long enough passphrase 42";
/// Who a test's direct service calls act as (the audit log names it).
pub const TEST_ACTOR: Actor = Actor::System("test");

pub struct TestApp {
    pub app: RunningApp,
    pub client: Client,
    pub clock: ManualClock,
    pub config: Config,
    _database: TestDatabase,
}

pub enum TestDatabase {
    Sqlite { _dir: tempfile::TempDir },
    Postgres,
}

/// A database no other test touches.
pub async fn fresh_database() -> (String, TestDatabase) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("mfa_test_{}", uuid::Uuid::new_v4().simple());
            let admin = sqlx::PgPool::connect(&admin_url)
                .await
                .expect("connecting to TEST_DATABASE_URL");
            sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                .execute(&admin)
                .await
                .expect("creating a test database");
            admin.close().await;
            let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
            url.set_path(&name);
            (url.to_string(), TestDatabase::Postgres)
        }
        _ => {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let url = format!("sqlite://{}", dir.path().join("portal.db").display());
            (url, TestDatabase::Sqlite { _dir: dir })
        }
    }
}

/// One key file for every test in this run, created once.
pub fn test_key_file() -> std::path::PathBuf {
    static KEY_DIR: std::sync::LazyLock<tempfile::TempDir> =
        std::sync::LazyLock::new(|| tempfile::tempdir().expect("a temporary folder"));
    static CREATED: std::sync::Once = std::sync::Once::new();
    let path = KEY_DIR.path().join("secret.key");
    CREATED.call_once(|| {
        server::keys::load_or_create(&path).expect("a test key");
    });
    path
}

pub fn test_config(database_url: String) -> Config {
    Config {
        bind: "127.0.0.1:0".parse().expect("a literal address"),
        database_url,
        secret_key_file: test_key_file(),
        ..Config::default()
    }
}

pub async fn spawn() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let (database_url, database) = fresh_database().await;
    let mut config = test_config(database_url);
    adjust(&mut config);
    let clock = ManualClock::starting_at(START_TIME);
    let app = startup::build_with_clock(config.clone(), Arc::new(clock.clone()))
        .await
        .expect("the portal starts");
    TestApp {
        app,
        client: new_client(),
        clock,
        config,
        _database: database,
    }
}

/// A browser: its own cookies, redirects not followed. A request the portal never
/// answers fails the test after two minutes instead of hanging the whole run.
pub fn new_client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .expect("an HTTP client")
}

impl TestApp {
    pub fn clock_now(&self) -> i64 {
        use app::services::Clock;
        self.clock.now()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.app.url())
    }

    /// Restarts the portal on the same database (new port, same clock).
    pub async fn restart(self) -> TestApp {
        let TestApp {
            app,
            client,
            clock,
            config,
            _database,
        } = self;
        app.stop().await.expect("the portal stops");
        let app = startup::build_with_clock(config.clone(), Arc::new(clock.clone()))
            .await
            .expect("the portal restarts");
        TestApp {
            app,
            client,
            clock,
            config,
            _database,
        }
    }

    pub async fn create_user(&self, username: &str, role: Role) -> UserId {
        let account = NewAccount {
            username: Username::parse(username).expect("a valid test username"),
            display_name: format!("Test {username}"),
            email: EmailAddress::parse(&format!("{username}@example.com"))
                .expect("a valid address"),
            password: FirstPassword::Given(SecretString::from(PASSWORD.to_owned())),
            role,
            // Disabled: the password signs in and counts as the verification for a
            // first method. Helpers that give a person a method turn MFA on after
            // it (`mfa_on`), as an admin would; enabled without a method would send
            // every sign-in to registration.
            mfa_state: Some(MfaState::Disabled),
            must_change_password: false,
        };
        accounts::create(&self.app.state, account, &Actor::System("test"))
            .await
            .expect("creating a test user")
            .id
    }

    /// Turns MFA on (enabled) for `user`, who has a method by now: sign-in asks for a
    /// second step from here on.
    pub async fn mfa_on(&self, user: UserId) {
        app::store::users::set_mfa_state(&self.app.state.db, user, MfaState::Enabled)
            .await
            .expect("turning MFA on");
    }

    /// Headers a browser on the portal's own page would send with a form post.
    pub fn same_origin(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            ORIGIN,
            HeaderValue::from_str(&self.app.url()).expect("an origin"),
        );
        headers
    }

    pub async fn post_form(&self, client: &Client, path: &str, form: &[(&str, &str)]) -> Response {
        client
            .post(self.url(path))
            .headers(self.same_origin())
            .form(form)
            .send()
            .await
            .expect("the request completes")
    }

    pub async fn sign_in_as(&self, client: &Client, username: &str, password: &str) -> Response {
        self.post_form(
            client,
            "/api/sign_in",
            &[("username", username), ("password", password)],
        )
        .await
    }

    /// A page load as a browser makes it (browsers accept HTML; redirects depend on it).
    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client
            .get(self.url(path))
            .header(reqwest::header::ACCEPT, "text/html,application/xhtml+xml")
            .send()
            .await
            .expect("the request completes")
    }

    /// Who the server thinks `client` is (`null` when nobody).
    pub async fn whoami(&self, client: &Client) -> serde_json::Value {
        let res = self.post_form(client, "/api/current_user", &[]).await;
        assert!(
            res.status().is_success(),
            "current_user answered {}",
            res.status()
        );
        res.json().await.expect("JSON from current_user")
    }

    pub fn session_cookie(&self, client_jar_response: &Response) -> Option<String> {
        client_jar_response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("mfa_session=") || v.starts_with("__Host-mfa_session="))
            .map(str::to_owned)
    }
}
