//! The `mfa_methods` table: which second factors a user has registered.

use super::{Db, UserId};
use anyhow::Context;

pub async fn count_for(db: &Db, user: UserId) -> anyhow::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM mfa_methods WHERE user_id = $1")
        .bind(user.0)
        .fetch_one(db.pool())
        .await
        .context("counting a user's methods")
}
