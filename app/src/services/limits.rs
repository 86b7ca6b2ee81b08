//! Per-address and per-name request limits, kept in the database so they hold
//! across portal instances and under parallel requests (one upsert counts and
//! judges each attempt; see `store::rate_limits`).

use crate::state::Services;
use crate::store::rate_limits::{self, Hit};
use std::net::IpAddr;

const MINUTE: i64 = 60;

/// Password sign-ins from one address per minute.
pub async fn sign_in_from(state: &Services, ip: IpAddr) -> anyhow::Result<bool> {
    per_minute(
        state,
        &format!("sign_in:ip:{ip}"),
        state.policy.sign_in_per_ip_per_minute,
    )
    .await
}

/// Non-browser API calls from one address per minute.
pub async fn api_from(state: &Services, ip: IpAddr) -> anyhow::Result<bool> {
    per_minute(state, &format!("api:ip:{ip}"), state.policy.api_per_minute).await
}

/// Non-browser API calls naming one account per minute, keyed by the name as typed
/// (case-folded), so an unknown name meets the same limit as a known one.
pub async fn api_for_username(state: &Services, typed: &str) -> anyhow::Result<bool> {
    let name: String = typed
        .trim()
        .chars()
        .take(256)
        .collect::<String>()
        .to_lowercase();
    per_minute(
        state,
        &format!("api:user:{name}"),
        state.policy.api_per_minute,
    )
    .await
}

async fn per_minute(state: &Services, bucket: &str, limit: i64) -> anyhow::Result<bool> {
    rate_limits::hit(
        state.db.pool(),
        Hit {
            bucket,
            limit,
            window_secs: MINUTE,
            now: state.clock.now(),
        },
    )
    .await
}
