//! The command line: `serve` (default), `migrate`, `user …`, `policy …`, and with the
//! `testing` feature `generate sign-ins`.

use app::domain::{MfaState, PhoneType, Role};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "mfa-portal",
    version,
    about = "Self-service portal for multi-factor authentication"
)]
pub struct Cli {
    /// TOML configuration file (keys as in the README; env vars override it).
    #[arg(long, global = true, env = "MFA_PORTAL_CONFIG")]
    pub config: Option<PathBuf>,
    /// Log JSON lines instead of human-readable text.
    #[arg(long, global = true)]
    pub log_json: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the portal (the default).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Show or change run-time policy (allowed methods, phone countries, …).
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Fill the database with synthetic data for benchmarks (built with
    /// `--features testing` only).
    #[cfg(feature = "testing")]
    #[command(subcommand)]
    Generate(GenerateCommand),
}

#[cfg(feature = "testing")]
#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Sign-in events: one user's long history among other users' rows.
    SignIns(GenerateSignInsArgs),
}

#[cfg(feature = "testing")]
#[derive(Debug, Args)]
pub struct GenerateSignInsArgs {
    /// The user whose history grows (must exist).
    #[arg(long)]
    pub username: String,
    #[arg(long, default_value_t = 1_000_000)]
    pub user_events: i64,
    #[arg(long, default_value_t = 9_000_000)]
    pub other_events: i64,
    /// Users created to own the other events.
    #[arg(long, default_value_t = 1_000)]
    pub other_users: i64,
}

#[derive(Debug, Default, Args)]
pub struct ServeArgs {
    /// Development mode: demo accounts on an empty database.
    #[arg(long)]
    pub dev: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account.
    Add(UserAddArgs),
    /// Set an account's MFA state (recorded in the audit log).
    SetMfa(UserSetMfaArgs),
    /// Set an account's phone as the organisation (active at once, shown as "set by
    /// your organisation"; recorded in the audit log).
    SetPhone(UserSetPhoneArgs),
}

#[derive(Debug, Args)]
pub struct UserSetPhoneArgs {
    #[arg(long)]
    pub username: String,
    /// The number in any common form; with a leading + the country is not needed.
    #[arg(long)]
    pub number: String,
    /// Country of a number written without + (ISO code, e.g. NL).
    #[arg(long, default_value = "")]
    pub country: String,
    /// mobile, alternate or office.
    #[arg(long = "type", value_parser = parse_phone_type, default_value = "mobile")]
    pub phone_type: PhoneType,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Print every setting in force.
    Show,
    /// Change one setting, e.g. `policy set users_may_change_admin_phone false`.
    Set(PolicySetArgs),
}

#[derive(Debug, Args)]
pub struct PolicySetArgs {
    /// allowed_methods, phone_regions, users_may_change_admin_phone or
    /// enforce_after_registration.
    pub key: String,
    pub value: String,
}

fn parse_phone_type(raw: &str) -> Result<PhoneType, String> {
    PhoneType::parse(raw).ok_or_else(|| "expected mobile, alternate or office".to_owned())
}

#[derive(Debug, Args)]
pub struct UserSetMfaArgs {
    #[arg(long)]
    pub username: String,
    #[arg(long, value_parser = parse_mfa_state)]
    pub state: MfaState,
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    #[arg(long)]
    pub username: String,
    #[arg(long, value_parser = parse_role, default_value = "user")]
    pub role: Role,
    /// Shown name; defaults to the username.
    #[arg(long)]
    pub display_name: Option<String>,
    /// Defaults to USERNAME@example.com when the username is not an address.
    #[arg(long)]
    pub email: Option<String>,
    /// Defaults to the configured `default_mfa_state`.
    #[arg(long, value_parser = parse_mfa_state)]
    pub mfa_state: Option<MfaState>,
    /// Read the password from the first line of standard input instead of
    /// generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

fn parse_role(raw: &str) -> Result<Role, String> {
    raw.parse().map_err(|e| format!("{e}"))
}

fn parse_mfa_state(raw: &str) -> Result<MfaState, String> {
    raw.parse().map_err(|e| format!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn an_unknown_role_is_a_clear_error() {
        let err = Cli::try_parse_from([
            "mfa-portal",
            "user",
            "add",
            "--username",
            "x",
            "--role",
            "root",
        ])
        .unwrap_err();
        assert!(err.to_string().contains("user, helpdesk, admin"), "{err}");
    }

    #[test]
    fn no_subcommand_means_serve() {
        let cli = Cli::try_parse_from(["mfa-portal"]).unwrap();
        assert!(cli.command.is_none());
    }
}
