//! Telling people about changes to their account through an independent channel
//! (e-mail via the outbox; delivery is the worker's job).

use crate::state::Services;
use crate::store::UserId;
use crate::store::outbox::{self, NewMessage};

pub struct Notice<'a> {
    pub user: UserId,
    pub email: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

pub async fn email(state: &Services, notice: Notice<'_>) -> anyhow::Result<()> {
    outbox::enqueue(
        state.db.pool(),
        NewMessage {
            channel: "email",
            user: Some(notice.user),
            recipient: notice.email,
            subject: notice.subject,
            body: notice.body,
            now: state.clock.now(),
        },
    )
    .await?;
    Ok(())
}
