//! The push tables: devices (an app enrolled by QR code, a `push` method), the
//! challenges they answer, and the portal's signing key. Single-use and one-winner
//! rules are conditional statements: enrolment step 2, deciding a challenge, taking
//! an approval.

use super::{Db, Exec, Flag, MethodId, UserId};
use crate::domain::{PushApproval, PushChallengeState, PushPurpose};
use anyhow::Context;

pub struct NewDevice<'a> {
    pub user: UserId,
    pub name: &'a str,
    pub serial: &'a str,
    pub credential_mac: &'a str,
    pub now: i64,
    /// The enrolment (QR code, step 2 and the test prompt) ends then.
    pub pending_until: i64,
}

/// A pending `push` method and its device row, together.
pub async fn insert_pending(db: &Db, device: NewDevice<'_>) -> anyhow::Result<MethodId> {
    let mut tx = db.begin().await.context("starting a push enrolment")?;
    let method_id: MethodId = sqlx::query_scalar(
        "INSERT INTO mfa_methods (user_id, kind, name, created_at, status, pending_until) \
         VALUES ($1, 'push', $2, $3, 'pending', $4) RETURNING id",
    )
    .bind(device.user.0)
    .bind(device.name)
    .bind(device.now)
    .bind(device.pending_until)
    .fetch_one(&mut *tx)
    .await
    .context("creating a pending push method")?;
    sqlx::query(
        "INSERT INTO push_devices (method_id, user_id, serial, credential_mac, \
         credential_expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(method_id)
    .bind(device.user.0)
    .bind(device.serial)
    .bind(device.credential_mac)
    .bind(device.pending_until)
    .execute(&mut *tx)
    .await
    .context("storing a push device")?;
    tx.commit().await.context("finishing a push enrolment")?;
    Ok(method_id)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DeviceRow {
    pub method_id: MethodId,
    pub user_id: UserId,
    pub name: String,
    pub serial: String,
    pub device_key: Option<String>,
    #[sqlx(try_from = "Flag")]
    pub active: bool,
    pub pending_until: Option<i64>,
    pub enrolled_at: Option<i64>,
    /// The web authenticator's offline codes, activated with the device.
    pub offline_method_id: Option<MethodId>,
    /// The app can take a typed number (policy `type`).
    #[sqlx(try_from = "Flag")]
    pub types_numbers: bool,
}

const DEVICE_COLUMNS: &str = "d.method_id, d.user_id, m.name, d.serial, d.device_key, \
     CASE WHEN m.status = 'active' THEN 1 ELSE 0 END AS active, m.pending_until, d.enrolled_at, \
     d.offline_method_id, d.types_numbers";

pub async fn find_by_serial(db: &Db, serial: &str) -> anyhow::Result<Option<DeviceRow>> {
    let sql = format!(
        "SELECT {DEVICE_COLUMNS} FROM push_devices d JOIN mfa_methods m ON m.id = d.method_id \
         WHERE d.serial = $1"
    );
    sqlx::query_as::<_, DeviceRow>(&sql)
        .bind(serial)
        .fetch_optional(db.pool())
        .await
        .context("finding a push device")
}

pub async fn find(db: &Db, user: UserId, method_id: MethodId) -> anyhow::Result<Option<DeviceRow>> {
    let sql = format!(
        "SELECT {DEVICE_COLUMNS} FROM push_devices d JOIN mfa_methods m ON m.id = d.method_id \
         WHERE d.method_id = $1 AND d.user_id = $2"
    );
    sqlx::query_as::<_, DeviceRow>(&sql)
        .bind(method_id)
        .bind(user.0)
        .fetch_optional(db.pool())
        .await
        .context("reading a push device")
}

/// Active devices that finished enrolment: the ones a sign-in prompt reaches.
pub async fn count_active(db: &Db, user: UserId) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM push_devices d JOIN mfa_methods m ON m.id = d.method_id \
         WHERE d.user_id = $1 AND m.status = 'active' AND d.device_key IS NOT NULL",
    )
    .bind(user.0)
    .fetch_one(db.pool())
    .await
    .context("counting push devices")
}

/// Enrolment step 2 as the portal checked it.
pub struct Enrolment<'a> {
    pub serial: &'a str,
    pub credential_mac: &'a str,
    pub device_key: &'a str,
    pub types_numbers: bool,
    pub now: i64,
}

/// Enrolment step 2: stores the device's key if the credential is this device's,
/// unused and in time. One statement, so a credential works once.
pub async fn complete_enrolment(db: &Db, enrolment: Enrolment<'_>) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE push_devices SET device_key = $3, credential_mac = NULL, enrolled_at = $4, \
         types_numbers = $5 \
         WHERE serial = $1 AND credential_mac = $2 AND credential_expires_at >= $4 \
         AND device_key IS NULL",
    )
    .bind(enrolment.serial)
    .bind(enrolment.credential_mac)
    .bind(enrolment.device_key)
    .bind(enrolment.now)
    .bind(i64::from(enrolment.types_numbers))
    .execute(db.pool())
    .await
    .context("completing a push enrolment")?;
    Ok(done.rows_affected() == 1)
}

/// Links the web authenticator's offline-code method to its device.
pub async fn set_offline_method(
    db: &Db,
    device: MethodId,
    offline: MethodId,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE push_devices SET offline_method_id = $2 WHERE method_id = $1")
        .bind(device)
        .bind(offline)
        .execute(db.pool())
        .await
        .context("linking offline codes to a push device")?;
    Ok(())
}

pub async fn touch_poll(db: &Db, method_id: MethodId, now: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE push_devices SET last_poll_at = $2 WHERE method_id = $1")
        .bind(method_id)
        .bind(now)
        .execute(db.pool())
        .await
        .context("recording a push poll")?;
    Ok(())
}

/// Whether one of the person's active devices polled at or after `since`, and so
/// received every prompt open then.
pub async fn polled_since(db: &Db, user: UserId, since: i64) -> anyhow::Result<bool> {
    let polled: Option<i64> = sqlx::query_scalar(
        "SELECT d.method_id FROM push_devices d JOIN mfa_methods m ON m.id = d.method_id \
         WHERE d.user_id = $1 AND m.status = 'active' AND d.last_poll_at >= $2 LIMIT 1",
    )
    .bind(user.0)
    .bind(since)
    .fetch_optional(db.pool())
    .await
    .context("checking whether a device polled")?;
    Ok(polled.is_some())
}

pub struct NewChallenge<'a> {
    pub user: UserId,
    pub nonce: &'a str,
    pub purpose: PushPurpose,
    /// The one device an activation prompt goes to; `None`: every active device.
    pub device: Option<MethodId>,
    pub bound_event_id: i64,
    pub approval: PushApproval,
    pub shown_code: &'a str,
    pub choices: &'a str,
    pub question: &'a str,
    pub ip: &'a str,
    pub user_agent: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert_challenge<'e>(
    exec: impl Exec<'e>,
    new: NewChallenge<'_>,
) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO push_challenges (user_id, nonce, purpose, device_id, bound_event_id, \
         approval, shown_code, choices, question, ip, user_agent, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(new.user.0)
    .bind(new.nonce)
    .bind(new.purpose)
    .bind(new.device)
    .bind(new.bound_event_id)
    .bind(new.approval)
    .bind(new.shown_code)
    .bind(new.choices)
    .bind(new.question)
    .bind(new.ip)
    .bind(new.user_agent)
    .bind(new.now)
    .bind(new.expires_at)
    .fetch_one(exec)
    .await
    .context("creating a push challenge")
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ChallengeRow {
    pub id: i64,
    pub user_id: UserId,
    pub nonce: String,
    pub purpose: PushPurpose,
    pub device_id: Option<MethodId>,
    pub bound_event_id: i64,
    pub approval: PushApproval,
    pub shown_code: String,
    pub choices: String,
    pub question: String,
    pub ip: String,
    pub user_agent: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub status: PushChallengeState,
    pub result_code: Option<i64>,
    pub answered_by: Option<MethodId>,
}

const CHALLENGE_COLUMNS: &str = "id, user_id, nonce, purpose, device_id, bound_event_id, \
     approval, shown_code, choices, question, ip, user_agent, created_at, expires_at, status, \
     result_code, answered_by";

/// The open, unexpired challenges one device should show: the person's sign-in
/// prompts, and activation prompts meant for this device.
pub async fn open_for_device(
    db: &Db,
    device: &DeviceRow,
    now: i64,
) -> anyhow::Result<Vec<ChallengeRow>> {
    let sql = format!(
        "SELECT {CHALLENGE_COLUMNS} FROM push_challenges WHERE user_id = $1 AND status = 'open' \
         AND expires_at >= $2 AND (device_id IS NULL OR device_id = $3) ORDER BY id"
    );
    sqlx::query_as::<_, ChallengeRow>(&sql)
        .bind(device.user_id.0)
        .bind(now)
        .bind(device.method_id)
        .fetch_all(db.pool())
        .await
        .context("listing open push challenges")
}

pub async fn find_by_nonce(db: &Db, nonce: &str) -> anyhow::Result<Option<ChallengeRow>> {
    let sql = format!("SELECT {CHALLENGE_COLUMNS} FROM push_challenges WHERE nonce = $1");
    sqlx::query_as::<_, ChallengeRow>(&sql)
        .bind(nonce)
        .fetch_optional(db.pool())
        .await
        .context("finding a push challenge")
}

/// The person's challenge `id`, if it was made for the sign-in `bound_event_id`.
pub async fn find_bound(
    db: &Db,
    user: UserId,
    id: i64,
    bound_event_id: i64,
) -> anyhow::Result<Option<ChallengeRow>> {
    let sql = format!(
        "SELECT {CHALLENGE_COLUMNS} FROM push_challenges WHERE id = $1 AND user_id = $2 \
         AND bound_event_id = $3"
    );
    sqlx::query_as::<_, ChallengeRow>(&sql)
        .bind(id)
        .bind(user.0)
        .bind(bound_event_id)
        .fetch_optional(db.pool())
        .await
        .context("reading a push challenge")
}

/// The newest activation prompt of a device being enrolled.
pub async fn latest_activation(
    db: &Db,
    user: UserId,
    device: MethodId,
) -> anyhow::Result<Option<ChallengeRow>> {
    let sql = format!(
        "SELECT {CHALLENGE_COLUMNS} FROM push_challenges WHERE user_id = $1 AND device_id = $2 \
         AND purpose = 'activate' ORDER BY id DESC LIMIT 1"
    );
    sqlx::query_as::<_, ChallengeRow>(&sql)
        .bind(user.0)
        .bind(device)
        .fetch_optional(db.pool())
        .await
        .context("reading an activation prompt")
}

/// The one decision on an open, unexpired challenge; `false` when another answer
/// (or the clock) came first.
pub async fn decide(
    db: &Db,
    id: i64,
    status: PushChallengeState,
    result_code: i64,
    answered_by: Option<MethodId>,
    now: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE push_challenges SET status = $2, result_code = $3, answered_by = $4, \
         decided_at = $5 WHERE id = $1 AND status = 'open' AND expires_at >= $5",
    )
    .bind(id)
    .bind(status)
    .bind(result_code)
    .bind(answered_by)
    .bind(now)
    .execute(db.pool())
    .await
    .context("deciding a push challenge")?;
    Ok(done.rows_affected() == 1)
}

/// Marks an open challenge whose time is over as unanswered; `true` for the one
/// caller that did it (so the no-response event is recorded once).
pub async fn expire(db: &Db, id: i64, result_code: i64, now: i64) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE push_challenges SET status = 'expired', result_code = $2, decided_at = $3 \
         WHERE id = $1 AND status = 'open' AND expires_at < $3",
    )
    .bind(id)
    .bind(result_code)
    .bind(now)
    .execute(db.pool())
    .await
    .context("expiring a push challenge")?;
    Ok(done.rows_affected() == 1)
}

/// Takes an approved challenge for what it was for, once.
pub async fn take_approved(db: &Db, id: i64, now: i64) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE push_challenges SET status = 'used', decided_at = $2 \
         WHERE id = $1 AND status = 'approved'",
    )
    .bind(id)
    .bind(now)
    .execute(db.pool())
    .await
    .context("taking a push approval")?;
    Ok(done.rows_affected() == 1)
}

/// The portal's sealed signing key and its public half, if one was made.
pub async fn server_key(db: &Db) -> anyhow::Result<Option<(String, String)>> {
    sqlx::query_as("SELECT sealed_key, public_key FROM push_server_keys WHERE id = 1")
        .fetch_optional(db.pool())
        .await
        .context("reading the push server key")
}

/// Stores the first key made; a key another instance stored first wins.
pub async fn insert_server_key(
    db: &Db,
    sealed_key: &str,
    public_key: &str,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO push_server_keys (id, sealed_key, public_key, created_at) \
         VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING",
    )
    .bind(sealed_key)
    .bind(public_key)
    .bind(now)
    .execute(db.pool())
    .await
    .context("storing the push server key")?;
    Ok(())
}
