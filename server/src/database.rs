//! Connecting to SQLite or PostgreSQL, applying migrations, and the session store
//! that lives in the same database.

use anyhow::Context;
use app::store::Db;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use std::str::FromStr;
use std::time::Duration;
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

const MAX_CONNECTIONS: u32 = 16;
const SESSION_TABLE: &str = "sessions";

pub enum SessionBackend {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

pub struct Database {
    pub db: Db,
    pub sessions: SessionBackend,
}

/// Connects, applies pending migrations (a failure stops here), and returns the
/// portal's pool plus a session store on the same database.
pub async fn connect(url: &str) -> anyhow::Result<Database> {
    sqlx::any::install_default_drivers();
    let sessions = if url.starts_with("sqlite:") {
        connect_sqlite(url).await?
    } else {
        connect_postgres(url).await?
    };
    let pool = AnyPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
        .await
        .context("connecting to the database")?;
    Ok(Database {
        db: Db::new(pool),
        sessions,
    })
}

async fn connect_sqlite(url: &str) -> anyhow::Result<SessionBackend> {
    let options = SqliteConnectOptions::from_str(url)
        .context("reading database_url")?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true);
    if let Some(dir) = options
        .get_filename()
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the database folder {}", dir.display()))?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .connect_with(options)
        .await
        .context("opening the SQLite database")?;
    SQLITE_MIGRATIONS.run(&pool).await.context(
        "applying the SQLite migrations (the database was left unchanged by the failed step)",
    )?;
    let store = SqliteStore::new(pool)
        .with_table_name(SESSION_TABLE)
        .map_err(|e| anyhow::anyhow!("session table name: {e}"))?;
    Ok(SessionBackend::Sqlite(store))
}

async fn connect_postgres(url: &str) -> anyhow::Result<SessionBackend> {
    let pool = PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
        .await
        .context("connecting to PostgreSQL")?;
    POSTGRES_MIGRATIONS
        .run(&pool)
        .await
        .context("applying the PostgreSQL migrations")?;
    let store = PostgresStore::new(pool)
        .with_schema_name("public")
        .and_then(|s| s.with_table_name(SESSION_TABLE))
        .map_err(|e| anyhow::anyhow!("session table name: {e}"))?;
    Ok(SessionBackend::Postgres(store))
}
