//! Web Push subscriptions of push devices (the web authenticator's browser): kept
//! on the device's row, used while the device is active.

use super::{Db, MethodId, UserId};
use crate::providers::web_push::Subscription;
use anyhow::Context;

/// Stores (or, with `None`, forgets) a device's subscription.
pub async fn set(
    db: &Db,
    device: MethodId,
    subscription: Option<&Subscription>,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE push_devices SET web_push_endpoint = $2, web_push_p256dh = $3, web_push_auth = $4 \
         WHERE method_id = $1",
    )
    .bind(device)
    .bind(subscription.map(|s| s.endpoint.as_str()))
    .bind(subscription.map(|s| s.p256dh.as_str()))
    .bind(subscription.map(|s| s.auth.as_str()))
    .execute(db.pool())
    .await
    .context("storing a Web Push subscription")?;
    Ok(())
}

/// Forgets a subscription the push service says is gone, unless the device
/// subscribed again meanwhile.
pub async fn forget(db: &Db, device: MethodId, endpoint: &str) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE push_devices SET web_push_endpoint = NULL, web_push_p256dh = NULL, \
         web_push_auth = NULL WHERE method_id = $1 AND web_push_endpoint = $2",
    )
    .bind(device)
    .bind(endpoint)
    .execute(db.pool())
    .await
    .context("forgetting a Web Push subscription")?;
    Ok(())
}

/// The subscriptions of the person's active devices: where a sign-in prompt is
/// pushed.
pub async fn active_for(db: &Db, user: UserId) -> anyhow::Result<Vec<(MethodId, Subscription)>> {
    let rows: Vec<(MethodId, String, String, String)> = sqlx::query_as(
        "SELECT d.method_id, d.web_push_endpoint, d.web_push_p256dh, d.web_push_auth \
         FROM push_devices d JOIN mfa_methods m ON m.id = d.method_id \
         WHERE d.user_id = $1 AND m.status = 'active' AND d.device_key IS NOT NULL \
         AND d.web_push_endpoint IS NOT NULL AND d.web_push_p256dh IS NOT NULL \
         AND d.web_push_auth IS NOT NULL ORDER BY d.method_id",
    )
    .bind(user.0)
    .fetch_all(db.pool())
    .await
    .context("reading Web Push subscriptions")?;
    Ok(rows
        .into_iter()
        .map(|(id, endpoint, p256dh, auth)| {
            (
                id,
                Subscription {
                    endpoint,
                    p256dh,
                    auth,
                },
            )
        })
        .collect())
}
