//! SQL, one module per table group. Every statement is parameterised and written
//! once for both engines (sqlx `Any`: `$n` placeholders, BIGINT and TEXT columns).

pub mod app_passwords;
pub mod audit;
pub mod dev_phone;
pub mod fraud_reports;
pub mod history_generator;
pub mod methods;
pub mod outbox;
pub mod phone_challenges;
pub mod phones;
pub mod rate_limits;
pub mod remembered_devices;
pub mod settings;
pub mod sign_in_events;
pub mod sign_in_history;
pub mod totp;
pub mod travel_windows;
pub mod user_sessions;
pub mod users;

use sqlx::AnyPool;

/// What a statement runs on: the pool (`db.pool()`), or a transaction's connection
/// (`&mut *tx`) when several writes must land together or not at all.
pub trait Exec<'e>: sqlx::Executor<'e, Database = sqlx::Any> {}
impl<'e, T: sqlx::Executor<'e, Database = sqlx::Any>> Exec<'e> for T {}

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// The portal's database handle, whichever engine is behind it.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
}

impl Db {
    pub fn new(pool: AnyPool) -> Self {
        Self { pool }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction: its writes land together or not at all.
    pub async fn begin(&self) -> anyhow::Result<Tx> {
        use anyhow::Context;
        self.pool.begin().await.context("starting a transaction")
    }

    /// Whether the database answers a trivial query (for `/readyz`).
    pub async fn is_reachable(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// Identifies a user row. Obtained from the session or a lookup, never from a form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UserId(pub i64);
