use crate::helpers::{fresh_database, new_client, spawn_with, test_config};
use server::startup;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn portal(database_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mfa-portal"))
        .args(args)
        .env("MFA_PORTAL_DATABASE_URL", database_url)
        .env(
            "MFA_PORTAL_SECRET_KEY_FILE",
            crate::helpers::test_key_file(),
        )
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("the binary finishes")
}

/// Whether the password is accepted: the sign-in either completes or, for an account
/// with MFA enabled and no method yet (the command line's default), goes on to
/// registering one.
async fn can_sign_in(database_url: &str, username: &str, password: &str) -> bool {
    let app = startup::build(test_config(database_url.to_owned()))
        .await
        .unwrap();
    let client = new_client();
    let origin = app.url();
    let res = client
        .post(format!("{origin}/api/sign_in"))
        .header("origin", &origin)
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .unwrap();
    let went_on_to = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    if went_on_to.as_deref() == Some("/sign-in/register") {
        return true;
    }
    let me: serde_json::Value = client
        .post(format!("{origin}/api/current_user"))
        .header("origin", &origin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    me["username"] == username
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_add_reads_the_password_from_stdin() {
    let (url, _db) = fresh_database().await;
    let out = portal(
        &url,
        &[
            "user",
            "add",
            "--username",
            "carol",
            "--role",
            "admin",
            "--password-stdin",
        ],
        Some("a fine long password\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("created user carol"), "{stdout}");
    assert!(!stdout.contains("a fine long password"));
    assert!(can_sign_in(&url, "carol", "a fine long password").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_add_generates_and_prints_a_password_once() {
    let (url, _db) = fresh_database().await;
    let out = portal(&url, &["user", "add", "--username", "dave"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let password = stdout
        .lines()
        .find_map(|l| l.strip_prefix("password (shown once): "))
        .expect("the generated password is printed");
    assert!(can_sign_in(&url, "dave", password).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_add_refuses_a_weak_password_and_a_taken_name() {
    let (url, _db) = fresh_database().await;
    let weak = portal(
        &url,
        &["user", "add", "--username", "erin", "--password-stdin"],
        Some("password1\n"),
    );
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("commonly used"));
    portal(&url, &["user", "add", "--username", "erin"], None);
    let again = portal(&url, &["user", "add", "--username", "erin"], None);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already taken"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_arguments_and_bad_configuration_are_named() {
    let (url, _db) = fresh_database().await;
    let bad_role = portal(
        &url,
        &["user", "add", "--username", "x-user", "--role", "root"],
        None,
    );
    assert_eq!(bad_role.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("user, helpdesk, admin"));
    let bad_config = Command::new(env!("CARGO_BIN_EXE_mfa-portal"))
        .arg("migrate")
        .env("MFA_PORTAL_LOCKOUT_THRESHOLD", "1000")
        .output()
        .unwrap();
    assert!(!bad_config.status.success());
    assert!(String::from_utf8_lossy(&bad_config.stderr).contains("lockout_threshold"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_prepares_an_empty_database() {
    let (url, _db) = fresh_database().await;
    let out = portal(&url, &["migrate"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("migrations applied"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn development_mode_creates_demo_accounts_once_and_production_none() {
    let production = spawn_with(|_| {}).await;
    assert!(production.app.demo_accounts.is_empty());

    let dev = spawn_with(|c| c.dev = true).await;
    let roles: Vec<_> = dev
        .app
        .demo_accounts
        .iter()
        .map(|a| a.role.as_str())
        .collect();
    assert_eq!(roles, ["user", "helpdesk", "admin"]);
    let dev = dev.restart().await;
    assert!(
        dev.app.demo_accounts.is_empty(),
        "a second start creates nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_migration_stops_start_up_with_a_clear_error() {
    let (url, _db) = fresh_database().await;
    portal(&url, &["migrate"], None);
    // Pretend the applied migration was edited after the fact.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    sqlx::query("UPDATE _sqlx_migrations SET checksum = $1")
        .bind(vec![0_u8; 48])
        .execute(&pool)
        .await
        .unwrap();
    let err = startup::build(test_config(url))
        .await
        .err()
        .expect("start-up fails");
    assert!(format!("{err:#}").contains("migrations"), "{err:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_mfa_changes_the_state_and_is_audited() {
    let (url, _db) = fresh_database().await;
    portal(&url, &["user", "add", "--username", "frank"], None);
    let out = portal(
        &url,
        &[
            "user",
            "set-mfa",
            "--username",
            "frank",
            "--state",
            "enforced",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("MFA state of frank is now enforced"));
    let unknown = portal(
        &url,
        &[
            "user",
            "set-mfa",
            "--username",
            "nobody",
            "--state",
            "enforced",
        ],
        None,
    );
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no user nobody"));
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let (state, action): (String, String) = sqlx::query_as(
        "SELECT u.mfa_state, a.action FROM users u JOIN audit_log a ON a.subject_user_id = u.id \
         WHERE u.username = 'frank' ORDER BY a.id DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (state.as_str(), action.as_str()),
        ("enforced", "user.mfa_state")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_phone_and_policy_set_work_from_the_command_line() {
    let (url, _db) = fresh_database().await;
    portal(&url, &["user", "add", "--username", "gina"], None);
    let args = [
        "user",
        "set-phone",
        "--username",
        "gina",
        "--number",
        "06 12345678",
        "--country",
        "NL",
    ];
    let out = portal(&url, &args, None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Mobile phone of gina set to +31 6 12345678"),
        "{stdout}"
    );
    let premium = [
        "user",
        "set-phone",
        "--username",
        "gina",
        "--number",
        "0900 1234567",
        "--country",
        "NL",
    ];
    let out = portal(&url, &premium, None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--number: Premium-rate"));

    let out = portal(
        &url,
        &["policy", "set", "users_may_change_admin_phone", "false"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("users_may_change_admin_phone = false"));
    let out = portal(&url, &["policy", "set", "allowed_methods", "fax"], None);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("allowed_methods: a comma-separated list")
    );

    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let (e164, set_by_org, action): (String, i64, String) = sqlx::query_as(
        "SELECT p.e164, p.set_by_org, a.action FROM phone_numbers p \
         JOIN users u ON u.id = p.user_id JOIN audit_log a ON a.subject_user_id = u.id \
         WHERE u.username = 'gina' ORDER BY a.id DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (e164.as_str(), set_by_org, action.as_str()),
        ("+31612345678", 1, "phone.set_by_org")
    );
}

/// Runs the binary with only the given `MFA_PORTAL_*` / `DATABASE_URL` variables.
fn portal_env(args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mfa-portal"));
    for (name, _) in std::env::vars() {
        if name.starts_with("MFA_PORTAL_") || name == "DATABASE_URL" {
            command.env_remove(name);
        }
    }
    command
        .args(args)
        .envs(vars.iter().copied())
        .output()
        .expect("the binary runs")
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_way_to_configure_is_read() {
    let (url, _db) = fresh_database().await;
    let key_file = crate::helpers::test_key_file();
    let key_file = key_file.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("portal.toml");
    std::fs::write(
        &file,
        format!("database_url = \"{url}\"\nsecret_key_file = \"{key_file}\"\n"),
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let show = ["policy", "show"];

    let out = portal_env(&["--config", file, "policy", "show"], &[]);
    assert!(out.status.success(), "--config: {}", stderr_of(&out));
    let out = portal_env(&show, &[("MFA_PORTAL_CONFIG", file)]);
    assert!(
        out.status.success(),
        "MFA_PORTAL_CONFIG: {}",
        stderr_of(&out)
    );
    let out = portal_env(&show, &[("DATABASE_URL", &url)]);
    assert!(out.status.success(), "DATABASE_URL: {}", stderr_of(&out));
    // Text settings that look like numbers stay text.
    let out = portal_env(
        &show,
        &[
            ("MFA_PORTAL_CONFIG", file),
            ("MFA_PORTAL_TWILIO_FROM_NUMBER", "+3197010000000"),
            ("MFA_PORTAL_TWILIO_ACCOUNT_SID", "1234"),
            ("MFA_PORTAL_TWILIO_AUTH_TOKEN", "987654321"),
            ("MFA_PORTAL_SMTP_PASSWORD", "12345678"),
            ("MFA_PORTAL_SMTP_USERNAME", "42"),
            ("MFA_PORTAL_TOTP_ISSUER", "2026"),
        ],
    );
    assert!(out.status.success(), "text values: {}", stderr_of(&out));
    // Number settings are read from the environment too, and checked.
    let out = portal_env(
        &show,
        &[
            ("MFA_PORTAL_CONFIG", file),
            ("MFA_PORTAL_LOCKOUT_THRESHOLD", "0"),
        ],
    );
    assert!(!out.status.success());
    assert!(
        stderr_of(&out).contains("`lockout_threshold`"),
        "{}",
        stderr_of(&out)
    );
    let out = portal_env(
        &show,
        &[
            ("MFA_PORTAL_CONFIG", file),
            ("MFA_PORTAL_SESSION_IDLE_MINUTES", "soon"),
        ],
    );
    let message = stderr_of(&out).to_lowercase();
    assert!(message.contains("session_idle_minutes"), "{message}");
    let out = portal_env(
        &show,
        &[("MFA_PORTAL_CONFIG", file), ("MFA_PORTAL_COLOUR", "blue")],
    );
    assert!(!out.status.success(), "an unknown variable is refused");
    assert!(stderr_of(&out).contains("colour"), "{}", stderr_of(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policy_cannot_leave_only_texts_and_calls_and_every_change_is_audited() {
    let (url, _db) = fresh_database().await;
    let out = portal(
        &url,
        &["policy", "set", "allowed_methods", "sms,phone_call"],
        None,
    );
    assert!(!out.status.success());
    assert!(
        stderr_of(&out).contains("restricted"),
        "{}",
        stderr_of(&out)
    );
    let out = portal(
        &url,
        &["policy", "set", "allowed_methods", "app_code,sms"],
        None,
    );
    assert!(out.status.success(), "{}", stderr_of(&out));
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT action, actor_label, detail FROM audit_log WHERE action = 'policy.changed'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![(
            "policy.changed".to_owned(),
            "cli".to_owned(),
            "allowed_methods: (default) -> app_code,sms".to_owned()
        )]
    );
}
