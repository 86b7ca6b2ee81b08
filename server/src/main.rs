use anyhow::Context;
use app::domain::{EmailAddress, Username};
use app::services::SystemClock;
use app::services::accounts::{self, FirstPassword, NewAccount};
use app::services::audit::Actor;
use clap::Parser;
use secrecy::{ExposeSecret, SecretString};
use server::cli::{
    Cli, Command, PolicyCommand, ServeArgs, UserAddArgs, UserCommand, UserSetMfaArgs,
    UserSetPhoneArgs,
};
#[cfg(feature = "testing")]
use server::cli::{GenerateCommand, GenerateSignInsArgs};
use server::config::{Config, LogFormat};
use server::{database, demo, logging, startup};
use std::io::BufRead;
use std::process::ExitCode;
use std::sync::Arc;

/// Worker stack size. Rendering Leptos views on the server recurses deeply, and debug
/// builds use far more stack per frame than release builds.
const WORKER_STACK_BYTES: usize = 8 * 1024 * 1024;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK_BYTES)
        .build();
    let result = match runtime {
        Ok(runtime) => runtime.block_on(run(cli)),
        Err(err) => Err(anyhow::Error::new(err).context("starting the async runtime")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut config = Config::load(cli.config.as_deref())?;
    if cli.log_json {
        config.log_format = LogFormat::Json;
    }
    logging::init(config.log_format);
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => serve(config, args).await,
        Command::Migrate => {
            database::connect(&config.database_url).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::User(UserCommand::Add(args)) => add_user(config, args).await,
        Command::User(UserCommand::SetMfa(args)) => set_mfa(config, args).await,
        Command::User(UserCommand::SetPhone(args)) => set_phone(config, args).await,
        Command::Policy(command) => policy(config, command).await,
        #[cfg(feature = "testing")]
        Command::Generate(GenerateCommand::SignIns(args)) => generate_sign_ins(config, args).await,
    }
}

async fn serve(mut config: Config, args: ServeArgs) -> anyhow::Result<()> {
    config.dev |= args.dev;
    let app = startup::build(config.clone()).await?;
    demo::print_once(&app.demo_accounts, config.public_url.as_str());
    shutdown_signal().await?;
    tracing::info!("shutting down");
    app.stop().await
}

/// Ctrl-C or SIGTERM (what service managers send).
async fn shutdown_signal() -> anyhow::Result<()> {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("listening for SIGTERM")?;
    tokio::select! {
        result = tokio::signal::ctrl_c() => result.context("listening for Ctrl-C"),
        _ = terminate.recv() => Ok(()),
    }
}

async fn add_user(config: Config, args: UserAddArgs) -> anyhow::Result<()> {
    let database = database::connect(&config.database_url).await?;
    let state = startup::app_state(&config, database.db, Arc::new(SystemClock)).await?;
    let username =
        Username::parse(&args.username).map_err(|e| anyhow::anyhow!("--username: {e}"))?;
    let email_raw = args.email.unwrap_or_else(|| default_email(&username));
    let email = EmailAddress::parse(&email_raw).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let password = if args.password_stdin {
        FirstPassword::Given(read_password_line()?)
    } else {
        FirstPassword::Generated
    };
    let account = NewAccount {
        display_name: args.display_name.unwrap_or_else(|| username.to_string()),
        username,
        email,
        password,
        role: args.role,
        mfa_state: args.mfa_state,
        must_change_password: false,
    };
    let created = accounts::create(&state, account, &Actor::System("cli")).await?;
    println!(
        "created user {} (id {}) with role {}",
        args.username.trim(),
        created.id.0,
        args.role
    );
    if let Some(password) = created.generated_password {
        println!("password (shown once): {}", password.expose_secret());
    }
    Ok(())
}

async fn set_mfa(config: Config, args: UserSetMfaArgs) -> anyhow::Result<()> {
    let database = database::connect(&config.database_url).await?;
    let state = startup::app_state(&config, database.db, Arc::new(SystemClock)).await?;
    let username =
        Username::parse(&args.username).map_err(|e| anyhow::anyhow!("--username: {e}"))?;
    let found = app::services::security::set_mfa_state(
        &state,
        &username,
        args.state,
        &Actor::System("cli"),
    )
    .await?;
    anyhow::ensure!(found, "--username: no user {username}");
    println!("MFA state of {username} is now {}", args.state);
    Ok(())
}

async fn set_phone(config: Config, args: UserSetPhoneArgs) -> anyhow::Result<()> {
    let database = database::connect(&config.database_url).await?;
    let state = startup::app_state(&config, database.db, Arc::new(SystemClock)).await?;
    let username =
        Username::parse(&args.username).map_err(|e| anyhow::anyhow!("--username: {e}"))?;
    let number = app::services::phones::set_by_organisation(
        &state,
        &username,
        &args.country,
        &args.number,
        args.phone_type,
        &Actor::System("cli"),
    )
    .await?
    .map_err(|problem| anyhow::anyhow!("--number: {problem}"))?;
    println!(
        "{} of {username} set to {} (set by the organisation)",
        args.phone_type.label(),
        number.international()
    );
    Ok(())
}

async fn policy(config: Config, command: PolicyCommand) -> anyhow::Result<()> {
    use app::services::Clock;
    use app::services::portal_settings;
    let database = database::connect(&config.database_url).await?;
    if let PolicyCommand::Set(args) = &command {
        let actor = Actor::System("cli");
        portal_settings::set(
            &database.db,
            &args.key,
            &args.value,
            SystemClock.now(),
            &actor,
            None,
        )
        .await?
        .map_err(|problem| anyhow::anyhow!("{}: {problem}", args.key))?;
    }
    let defaults = server::startup::setting_defaults(&config);
    let current = portal_settings::load(&database.db, &defaults).await?;
    let methods: Vec<&str> = current.allowed_methods.iter().map(|m| m.as_str()).collect();
    println!(
        "{} = {}",
        portal_settings::ALLOWED_METHODS,
        methods.join(",")
    );
    println!(
        "{} = {}",
        portal_settings::PHONE_REGIONS,
        current.phone_regions.join(",")
    );
    println!(
        "{} = {}",
        portal_settings::USERS_MAY_CHANGE_ADMIN_PHONE,
        current.users_may_change_admin_phone
    );
    println!(
        "{} = {}",
        portal_settings::ENFORCE_AFTER_REGISTRATION,
        current.enforce_after_registration
    );
    Ok(())
}

#[cfg(feature = "testing")]
async fn generate_sign_ins(config: Config, args: GenerateSignInsArgs) -> anyhow::Result<()> {
    use app::services::Clock;
    use app::store::testing::history_generator::{self, GenerateSpec};
    anyhow::ensure!(
        args.user_events >= 0 && args.other_events >= 0 && args.other_users >= 0,
        "counts must not be negative"
    );
    let database = database::connect(&config.database_url).await?;
    let username =
        Username::parse(&args.username).map_err(|e| anyhow::anyhow!("--username: {e}"))?;
    let user = app::store::users::find_by_username(&database.db, &username)
        .await?
        .ok_or_else(|| anyhow::anyhow!("--username: no user {username}"))?;
    let started = std::time::Instant::now();
    let spec = GenerateSpec {
        user: user.id,
        user_events: args.user_events,
        other_events: args.other_events,
        other_users: args.other_users,
        newest_at: SystemClock.now(),
        spacing_secs: 30,
    };
    history_generator::generate(&database.db, spec).await?;
    println!(
        "generated {} events for {username} and {} for {} other users in {:.1} s",
        args.user_events,
        args.other_events,
        args.other_users,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn default_email(username: &Username) -> String {
    if username.as_str().contains('@') {
        username.to_string()
    } else {
        format!("{username}@example.com")
    }
}

fn read_password_line() -> anyhow::Result<SecretString> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from stdin")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    anyhow::ensure!(
        !password.is_empty(),
        "--password-stdin: standard input held no password"
    );
    Ok(SecretString::from(password))
}
