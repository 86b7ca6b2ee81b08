//! The hourly abuse limits on texts and calls: per number, person, address and
//! country, claimed inside the send's transaction.

use super::{Outcome, PhoneRefusal, Requester, refused};
use crate::domain::AuditAction;
use crate::domain::PhoneChannel;
use crate::domain::phone_number::mask_e164;
use crate::services::audit::{self, Actor, AuditRecord};
use crate::state::Services;
use crate::store::phones::PhoneRow;
use crate::store::rate_limits::{self, Hit};

/// Claims one send against the hourly limits per number, person, address and
/// country, on the send's own transaction: each claim counts and judges in one
/// upsert and (on PostgreSQL) holds its row until the send commits, so parallel
/// requests cannot all pass. `Err` names the limit reached; the caller rolls back.
pub(super) async fn claim_send_limits(
    state: &Services,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    who: &Requester,
    phone: &PhoneRow,
) -> anyhow::Result<Result<(), &'static str>> {
    let limits = &state.policy.phone;
    // Always the same order, so two transactions never wait on each other in a ring.
    let claims = [
        (
            "number",
            format!("phone:number:{}", phone.e164),
            limits.per_number_per_hour,
        ),
        (
            "user",
            format!("phone:user:{}", who.user.0),
            limits.per_user_per_hour,
        ),
        (
            "address",
            format!("phone:ip:{}", who.ip),
            limits.per_ip_per_hour,
        ),
        (
            "country",
            format!("phone:region:{}", phone.region),
            limits.per_region_per_hour,
        ),
    ];
    let now = state.clock.now();
    for (which, bucket, limit) in &claims {
        let hit = Hit {
            bucket,
            limit: *limit,
            window_secs: 3600,
            now,
        };
        if !rate_limits::hit(&mut **tx, hit).await? {
            return Ok(Err(which));
        }
    }
    Ok(Ok(()))
}

/// Records a send refused by an hourly limit (number masked) and refuses it.
pub(super) async fn refuse_over_limit<T>(
    state: &Services,
    who: &Requester,
    phone: &PhoneRow,
    channel: PhoneChannel,
    which: &str,
) -> Outcome<T> {
    let now = state.clock.now();
    let ip = who.ip.to_string();
    let detail = format!(
        "{} to {} refused: hourly limit per {which} reached",
        channel.as_str(),
        mask_e164(&phone.e164, &phone.international)
    );
    tracing::warn!(user_id = who.user.0, %ip, limit = which, "phone send refused by abuse limit");
    let record = AuditRecord {
        actor: &Actor::System("phone abuse limits"),
        subject: Some(who.user),
        action: AuditAction::PhoneLimit,
        detail: &detail,
        ip: Some(&ip),
    };
    audit::record(state.db.pool(), now, record).await?;
    refused(PhoneRefusal::OverLimit)
}
