//! Web Push for the web authenticator (optional: only where a VAPID key is
//! configured). The device subscribes with a signed request, like its polls; a new
//! sign-in prompt is then pushed to its browser so it arrives while the page is
//! closed. Polling stays the way prompts are fetched and answered: the push only
//! says one is waiting.

use super::{DeviceRefusal, PROMPT_SECS, device, protocol};
use crate::providers::web_push::{Delivery, Subscription, SubscriptionError};
use crate::state::Services;
use crate::store::{UserId, web_push};
use std::time::Duration;

/// A signed subscription from a device, as posted.
pub struct SubscriptionRequest<'a> {
    pub serial: &'a str,
    pub timestamp: &'a str,
    pub signature: &'a str,
    /// Empty to stop pushes to this device.
    pub endpoint: &'a str,
    pub p256dh: &'a str,
    pub auth: &'a str,
}

impl SubscriptionRequest<'_> {
    /// What the device signs: the poll's text, then the subscription's fields.
    pub fn signed_text(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            protocol::poll_text(self.serial, self.timestamp),
            self.endpoint,
            self.p256dh,
            self.auth
        )
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum SubscribeRefusal {
    /// No VAPID key is configured.
    NotConfigured,
    Device(DeviceRefusal),
    Subscription(SubscriptionError),
}

/// The key browsers subscribe with, where Web Push is configured.
pub fn public_key(state: &Services) -> Option<&str> {
    state.web_push.as_deref().map(|sender| sender.public_key())
}

/// Stores (or removes) a device's subscription after checking its signature and
/// timestamp as for a poll, and that the endpoint is a listed push service.
pub async fn subscribe(
    state: &Services,
    request: SubscriptionRequest<'_>,
) -> anyhow::Result<Result<(), SubscribeRefusal>> {
    let Some(sender) = state.web_push.as_deref() else {
        return Ok(Err(SubscribeRefusal::NotConfigured));
    };
    let signed = request.signed_text();
    let device = match device::signed_by_device(
        state,
        request.serial,
        request.timestamp,
        request.signature,
        &signed,
    )
    .await?
    {
        Ok(device) => device,
        Err(refusal) => return Ok(Err(SubscribeRefusal::Device(refusal))),
    };
    if request.endpoint.is_empty() {
        web_push::set(&state.db, device.method_id, None).await?;
        return Ok(Ok(()));
    }
    let subscription = Subscription {
        endpoint: request.endpoint.to_owned(),
        p256dh: request.p256dh.to_owned(),
        auth: request.auth.to_owned(),
    };
    if let Err(refusal) = sender.check(&subscription) {
        tracing::warn!(
            method_id = device.method_id.0,
            ?refusal,
            "a Web Push subscription was refused"
        );
        return Ok(Err(SubscribeRefusal::Subscription(refusal)));
    }
    web_push::set(&state.db, device.method_id, Some(&subscription)).await?;
    Ok(Ok(()))
}

/// Tells the person's subscribed devices that a prompt waits, in the background
/// (the sign-in page does not wait for push services). The message holds the
/// prompt's question, readable only by the device's browser.
pub fn announce(state: &Services, user: UserId, question: &str) {
    if state.web_push.is_none() {
        return;
    }
    let state = state.clone();
    let payload = serde_json::json!({
        "title": state.policy.totp_issuer,
        "body": question,
        "tag": "mfa-portal-sign-in",
    })
    .to_string();
    tokio::spawn(async move {
        if let Err(err) = deliver(&state, user, payload.as_bytes()).await {
            tracing::warn!(user_id = user.0, "Web Push delivery failed: {err:#}");
        }
    });
}

async fn deliver(state: &Services, user: UserId, payload: &[u8]) -> anyhow::Result<()> {
    let Some(sender) = state.web_push.as_deref() else {
        return Ok(());
    };
    let ttl = Duration::from_secs(PROMPT_SECS.unsigned_abs());
    for (device, subscription) in web_push::active_for(&state.db, user).await? {
        match sender
            .send(&subscription, payload, ttl, state.clock.now())
            .await
        {
            Delivery::Accepted => {}
            Delivery::Gone => {
                tracing::info!(
                    method_id = device.0,
                    "a Web Push subscription is gone; the device still polls"
                );
                web_push::forget(&state.db, device, &subscription.endpoint).await?;
            }
            Delivery::Failed(why) => {
                tracing::warn!(method_id = device.0, "a Web Push was not delivered: {why}");
            }
        }
    }
    Ok(())
}
