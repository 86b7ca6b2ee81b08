//! Demo accounts for development mode: created once, on an empty database, with
//! generated passwords that are shown once and stored only as hashes.

use app::domain::{EmailAddress, MfaState, Role, Username};
use app::services::accounts::{self, FirstPassword, NewAccount};
use app::services::audit::Actor;
use app::state::AppState;
use app::store::users;
use secrecy::{ExposeSecret, SecretString};

pub struct DemoAccount {
    pub username: String,
    pub role: Role,
    pub password: SecretString,
}

const DEMO: [(&str, &str, Role); 3] = [
    ("demo-user", "Dana User", Role::User),
    ("demo-helpdesk", "Harper Helpdesk", Role::Helpdesk),
    ("demo-admin", "Avery Admin", Role::Admin),
];

/// Creates the demo accounts when no user exists yet; returns what it created.
pub async fn seed_if_empty(state: &AppState) -> anyhow::Result<Vec<DemoAccount>> {
    if users::exists_any(&state.db).await? {
        return Ok(Vec::new());
    }
    let mut created = Vec::new();
    for (username, display_name, role) in DEMO {
        let account = NewAccount {
            username: Username::parse(username)?,
            display_name: display_name.to_owned(),
            email: EmailAddress::parse(&format!("{username}@example.com"))?,
            password: FirstPassword::Generated,
            role,
            // Disabled, so the demo opens with the password alone; an admin turns
            // MFA on from Admin → People (enabled: register at the next sign-in).
            mfa_state: Some(MfaState::Disabled),
            must_change_password: false,
        };
        let result = accounts::create(state, account, &Actor::System("dev-mode demo seed")).await?;
        let password = result
            .generated_password
            .ok_or_else(|| anyhow::anyhow!("a demo account got no generated password"))?;
        created.push(DemoAccount {
            username: username.to_owned(),
            role,
            password,
        });
    }
    Ok(created)
}

/// The one place the demo passwords are shown: the terminal, on stdout, not the log.
pub fn print_once(accounts: &[DemoAccount], url: &str) {
    if accounts.is_empty() {
        return;
    }
    println!();
    println!("  Development mode: demo accounts created. Passwords are shown only this once.");
    println!();
    for account in accounts {
        println!(
            "    {:<10} {:<15} {}",
            account.role.as_str(),
            account.username,
            account.password.expose_secret()
        );
    }
    println!();
    println!("  MFA is off for them: turn it on in Admin > People (enabled: the person");
    println!("  registers a method at their next sign-in).");
    println!("  Sign in at {url}");
    println!();
}
