//! The `phone_numbers` table: a phone is a row in `mfa_methods` (kind `phone`) with
//! its number here. Every statement is scoped by the owning user.

use super::{Db, Flag, MethodId, UserId};
use crate::domain::PhoneType;
use anyhow::Context;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PhoneRow {
    pub method_id: MethodId,
    pub name: String,
    pub phone_type: PhoneType,
    pub e164: String,
    /// As shown: `+31 6 12345678`.
    pub international: String,
    pub region: String,
    #[sqlx(try_from = "Flag")]
    pub set_by_org: bool,
    #[sqlx(try_from = "Flag")]
    pub active: bool,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

pub struct NewPhone<'a> {
    pub user: UserId,
    pub name: &'a str,
    pub phone_type: PhoneType,
    pub e164: &'a str,
    pub international: &'a str,
    pub region: &'a str,
    pub set_by_org: bool,
    pub now: i64,
    /// `None` makes the phone active at once (set by an admin); else pending until.
    pub pending_until: Option<i64>,
}

/// Inserts the method and its number on `conn` (a transaction's connection).
pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    phone: NewPhone<'_>,
) -> anyhow::Result<MethodId> {
    let status = if phone.pending_until.is_some() {
        "pending"
    } else {
        "active"
    };
    let method_id: MethodId = sqlx::query_scalar(
        "INSERT INTO mfa_methods (user_id, kind, name, created_at, status, pending_until) \
         VALUES ($1, 'phone', $2, $3, $4, $5) RETURNING id",
    )
    .bind(phone.user.0)
    .bind(phone.name)
    .bind(phone.now)
    .bind(status)
    .bind(phone.pending_until)
    .fetch_one(&mut *conn)
    .await
    .context("creating a phone method")?;
    sqlx::query(
        "INSERT INTO phone_numbers (method_id, user_id, phone_type, e164, international, region, \
         set_by_org) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(method_id)
    .bind(phone.user.0)
    .bind(phone.phone_type)
    .bind(phone.e164)
    .bind(phone.international)
    .bind(phone.region)
    .bind(i64::from(phone.set_by_org))
    .execute(&mut *conn)
    .await
    .context("storing a phone number")?;
    Ok(method_id)
}

const SELECT: &str = "SELECT m.id AS method_id, m.name, \
     CASE WHEN m.status = 'active' THEN 1 ELSE 0 END AS active, m.created_at, m.last_used_at, \
     p.phone_type, p.e164, p.international, p.region, p.set_by_org \
     FROM mfa_methods m JOIN phone_numbers p ON p.method_id = m.id";

/// The user's active phones, mobile first.
pub async fn list_active(db: &Db, user: UserId) -> anyhow::Result<Vec<PhoneRow>> {
    let sql = format!(
        "{SELECT} WHERE m.user_id = $1 AND m.status = 'active' \
         ORDER BY CASE p.phone_type WHEN 'mobile' THEN 0 WHEN 'office' THEN 1 ELSE 2 END, m.id"
    );
    sqlx::query_as::<_, PhoneRow>(&sql)
        .bind(user)
        .fetch_all(db.pool())
        .await
        .context("listing a user's phones")
}

/// One of the user's phones, pending or active.
pub async fn find(db: &Db, user: UserId, method_id: MethodId) -> anyhow::Result<Option<PhoneRow>> {
    let sql = format!("{SELECT} WHERE m.user_id = $1 AND m.id = $2");
    sqlx::query_as::<_, PhoneRow>(&sql)
        .bind(user)
        .bind(method_id)
        .fetch_optional(db.pool())
        .await
        .context("reading a phone")
}

/// Activates a pending phone and removes the active phone of the same type it
/// replaces, in one transaction. `false` when the enrolment had expired.
pub async fn activate_replacing(
    db: &Db,
    user: UserId,
    method_id: MethodId,
    now: i64,
) -> anyhow::Result<bool> {
    let mut tx = db.begin().await.context("starting a phone activation")?;
    let activated = sqlx::query(
        "UPDATE mfa_methods SET status = 'active', pending_until = NULL, last_used_at = $3 \
         WHERE id = $1 AND user_id = $2 AND status = 'pending' AND pending_until >= $3",
    )
    .bind(method_id)
    .bind(user.0)
    .bind(now)
    .execute(&mut *tx)
    .await
    .context("activating a phone")?
    .rows_affected()
        == 1;
    if !activated {
        tx.rollback().await.context("ending a failed activation")?;
        return Ok(false);
    }
    sqlx::query(
        "DELETE FROM mfa_methods WHERE user_id = $1 AND id <> $2 AND status = 'active' AND id IN \
         (SELECT method_id FROM phone_numbers WHERE user_id = $1 AND phone_type = \
         (SELECT phone_type FROM phone_numbers WHERE method_id = $2))",
    )
    .bind(user.0)
    .bind(method_id)
    .execute(&mut *tx)
    .await
    .context("removing the replaced phone")?;
    tx.commit().await.context("committing a phone activation")?;
    Ok(true)
}

/// Sets the user's phone of `phone_type` as an admin or import would: active at
/// once, marked as set by the organisation, replacing any phone of that type.
pub async fn set_by_organisation(db: &Db, phone: NewPhone<'_>) -> anyhow::Result<MethodId> {
    let mut tx = db.begin().await.context("starting to set a phone")?;
    let method_id = replace_by_organisation(&mut tx, phone).await?;
    tx.commit()
        .await
        .context("committing a phone set by an admin")?;
    Ok(method_id)
}

/// As [`set_by_organisation`], on the caller's transaction.
pub async fn replace_by_organisation(
    tx: &mut super::Tx,
    phone: NewPhone<'_>,
) -> anyhow::Result<MethodId> {
    sqlx::query(
        "DELETE FROM mfa_methods WHERE user_id = $1 AND id IN \
         (SELECT method_id FROM phone_numbers WHERE user_id = $1 AND phone_type = $2)",
    )
    .bind(phone.user.0)
    .bind(phone.phone_type)
    .execute(&mut **tx)
    .await
    .context("removing the phone being replaced")?;
    insert(tx, phone).await
}
