//! The `mfa_methods` table: which second factors a user has registered. Every
//! statement is scoped by the owning user.

use super::{Db, Exec, MethodId, UserId};
use crate::domain::MethodKind;
use anyhow::Context;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MethodRow {
    pub id: MethodId,
    pub kind: MethodKind,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// Active methods only: a pending enrolment is not a way to sign in.
pub async fn count_for(db: &Db, user: UserId) -> anyhow::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM mfa_methods WHERE user_id = $1 AND status = 'active'")
        .bind(user.0)
        .fetch_one(db.pool())
        .await
        .context("counting a user's methods")
}

/// Active methods of one kind.
pub async fn count_of_kind(db: &Db, user: UserId, kind: MethodKind) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM mfa_methods WHERE user_id = $1 AND status = 'active' AND kind = $2",
    )
    .bind(user.0)
    .bind(kind)
    .fetch_one(db.pool())
    .await
    .context("counting a user's methods of one kind")
}

pub async fn list_active(db: &Db, user: UserId) -> anyhow::Result<Vec<MethodRow>> {
    sqlx::query_as::<_, MethodRow>(
        "SELECT id, kind, name, created_at, last_used_at FROM mfa_methods \
         WHERE user_id = $1 AND status = 'active' ORDER BY id",
    )
    .bind(user.0)
    .fetch_all(db.pool())
    .await
    .context("listing a user's methods")
}

pub async fn rename(
    db: &Db,
    user: UserId,
    method_id: MethodId,
    name: &str,
) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE mfa_methods SET name = $3 WHERE id = $1 AND user_id = $2 AND status = 'active'",
    )
    .bind(method_id)
    .bind(user.0)
    .bind(name)
    .execute(db.pool())
    .await
    .context("renaming a method")?;
    Ok(result.rows_affected() == 1)
}

pub async fn touch(db: &Db, user: UserId, method_id: MethodId, now: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE mfa_methods SET last_used_at = $3 WHERE id = $1 AND user_id = $2")
        .bind(method_id)
        .bind(user.0)
        .bind(now)
        .execute(db.pool())
        .await
        .context("recording a method's use")?;
    Ok(())
}

/// Activates a pending method if its enrolment has not expired.
pub async fn activate(
    db: &Db,
    user: UserId,
    method_id: MethodId,
    now: i64,
) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE mfa_methods SET status = 'active', pending_until = NULL, last_used_at = $3 \
         WHERE id = $1 AND user_id = $2 AND status = 'pending' AND pending_until >= $3",
    )
    .bind(method_id)
    .bind(user.0)
    .bind(now)
    .execute(db.pool())
    .await
    .context("activating a method")?;
    Ok(result.rows_affected() == 1)
}

/// Forgets enrolments that were never finished.
pub async fn delete_expired_pending(db: &Db, now: i64) -> anyhow::Result<u64> {
    let result =
        sqlx::query("DELETE FROM mfa_methods WHERE status = 'pending' AND pending_until < $1")
            .bind(now)
            .execute(db.pool())
            .await
            .context("sweeping expired enrolments")?;
    Ok(result.rows_affected())
}

/// Deletes the user's method and returns its name. With `keep_one`, refuses (returns
/// `None`) when it is the user's last active method: one statement, so two
/// concurrent removals cannot leave an enforced user with nothing.
pub async fn delete_for_user<'e>(
    exec: impl Exec<'e>,
    user: UserId,
    method_id: MethodId,
    keep_one: bool,
) -> anyhow::Result<Option<String>> {
    let name: Option<String> = sqlx::query_scalar(
        "DELETE FROM mfa_methods WHERE id = $1 AND user_id = $2 AND status = 'active' AND \
         ($3 = 0 OR (SELECT COUNT(*) FROM mfa_methods WHERE user_id = $2 AND status = 'active') > 1) \
         RETURNING name",
    )
    .bind(method_id)
    .bind(user.0)
    .bind(i64::from(keep_one))
    .fetch_optional(exec)
    .await
    .context("removing a method")?;
    Ok(name)
}

/// Deletes every method of the user except phones their organisation set (pending
/// enrolments too); returns the names removed.
pub async fn delete_all_but_org_phones<'e>(
    exec: impl Exec<'e>,
    user: UserId,
) -> anyhow::Result<Vec<String>> {
    sqlx::query_scalar(
        "DELETE FROM mfa_methods WHERE user_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM phone_numbers p WHERE p.method_id = mfa_methods.id AND p.set_by_org = 1) \
         RETURNING name",
    )
    .bind(user.0)
    .fetch_all(exec)
    .await
    .context("removing a person's methods for re-registration")
}
