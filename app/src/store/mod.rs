//! SQL, one module per table group. Every statement is parameterised and written
//! once for both engines (sqlx `Any`: `$n` placeholders, BIGINT and TEXT columns).

pub mod access_passes;
pub mod account_controls;
pub mod app_passwords;
pub mod audit;
pub mod audit_log;
pub mod caller_verifications;
pub mod dashboard;
pub mod dev_phone;
pub mod directory;
pub mod fraud_queue;
pub mod fraud_reports;
pub mod hardware_tokens;
pub mod import_jobs;
pub mod methods;
pub mod outbox;
pub mod phone_challenges;
pub mod phones;
pub mod push;
pub mod rate_limits;
pub mod remembered_devices;
pub mod settings;
pub mod setup_links;
pub mod sign_in_events;
pub mod sign_in_history;
#[cfg(feature = "testing")]
pub mod testing;
pub mod totp;
pub mod travel_windows;
pub mod user_sessions;
pub mod users;
pub mod web_push;

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
/// Read straight from a row (`#[derive(sqlx::FromRow)]`) and bound as the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type)]
#[sqlx(transparent)]
pub struct UserId(pub i64);

/// A row of `mfa_methods` (an app or a phone): what the browser names when it acts on
/// a method, kept apart from user, challenge and other ids by its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type)]
#[sqlx(transparent)]
pub struct MethodId(pub i64);

/// The number alone: it is part of what seals a seed (`totp:{id}`), so it must print
/// as the bare id.
impl std::fmt::Display for MethodId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A yes/no column: BIGINT 0/1 in our tables, but a computed `EXISTS (…)` is a
/// boolean on PostgreSQL and an integer on SQLite. Decodes from either.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

impl sqlx::Type<sqlx::Any> for Flag {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <bool as sqlx::Type<sqlx::Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        let kind = ty.kind();
        kind == sqlx::any::AnyTypeInfoKind::Bool || kind.is_integer()
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for Flag {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        match <bool as sqlx::Decode<sqlx::Any>>::decode(value.clone()) {
            Ok(flag) => Ok(Flag(flag)),
            Err(_) => <i64 as sqlx::Decode<sqlx::Any>>::decode(value).map(|n| Flag(n != 0)),
        }
    }
}
