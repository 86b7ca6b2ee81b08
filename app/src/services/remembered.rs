//! "Remember this device": a random token in a cookie, its keyed hash in the
//! database, valid for the configured number of days, revocable one by one.

use crate::state::Services;
use crate::store::UserId;
use crate::store::remembered_devices;
use data_encoding::BASE64URL_NOPAD;
use rand::RngCore;
use rand::rngs::OsRng;

pub const COOKIE_NAME: &str = "mfa_device";

/// Creates a remembered device and returns the token for the cookie, or `None` when
/// the policy has remembering turned off.
pub async fn remember(
    state: &Services,
    user: UserId,
    label: &str,
) -> anyhow::Result<Option<String>> {
    let days = super::portal_settings::current(state)
        .await?
        .remember_browser_days;
    if days <= 0 {
        return Ok(None);
    }
    let mut bytes = [0_u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = BASE64URL_NOPAD.encode(&bytes);
    let now = state.clock.now();
    let mac = state.keys.device_token_mac(&token);
    remembered_devices::insert(&state.db, user, &mac, label, now, now + days * 86_400).await?;
    Ok(Some(token))
}

pub async fn is_remembered(
    state: &Services,
    user: UserId,
    token: Option<&str>,
) -> anyhow::Result<bool> {
    match token {
        Some(token)
            if super::portal_settings::current(state)
                .await?
                .remember_browser_days
                > 0 =>
        {
            let mac = state.keys.device_token_mac(token);
            remembered_devices::use_if_valid(&state.db, user, &mac, state.clock.now()).await
        }
        _ => Ok(false),
    }
}
