//! An e-mailed set-up link: instead of reading a generated password to the person,
//! the admin has the portal e-mail them a link with which they choose their own
//! (a new account, an imported one, or anyone who needs a fresh start). The token
//! is 160 random bits, kept only as a keyed hash; the e-mail is sealed in the
//! outbox; a new link revokes the older ones. Using the link: `services::setup_links`.

use super::{Outcome, Refusal, record};
use crate::domain::AuditAction;
use crate::services::caller::{Admin, Verified};
use crate::services::notify::{self, Notice};
use crate::services::time_format::utc_minutes;
use crate::state::Services;
use crate::store::users::UserRow;
use crate::store::{Tx, UserId, setup_links, users};
use anyhow::Context;

/// How long a set-up link works: a long weekend, for a link sent on a Friday.
pub const SETUP_LINK_HOURS: i64 = 72;

/// Where the link went and until when it works.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentLink {
    pub email: String,
    pub expires_at: i64,
}

/// E-mails the person a set-up link.
pub async fn send_setup_link(
    state: &Services,
    admin: &Verified<Admin>,
    user: UserId,
    ip: &str,
) -> Outcome<SentLink> {
    let Some(row) = users::find_by_id(&state.db, user).await? else {
        return Ok(Err(Refusal::NoSuchPerson));
    };
    let tx = state.db.begin().await?;
    let sent = send_in(state, tx, admin, &row, ip).await?;
    Ok(Ok(sent))
}

/// Revokes the person's older links, stores a new one, audits and e-mails it, all
/// in `tx`, and commits it.
pub(super) async fn send_in(
    state: &Services,
    mut tx: Tx,
    admin: &Admin,
    person: &UserRow,
    ip: &str,
) -> anyhow::Result<SentLink> {
    let now = state.clock.now();
    let token = new_token();
    let expires_at = now + SETUP_LINK_HOURS * 3600;
    let replaced = setup_links::revoke_live(&mut *tx, person.id, now).await?;
    let mac = state.keys.setup_link_mac(&token);
    let link = setup_links::NewLink {
        user: person.id,
        token_mac: &mac,
        sent_by: admin.actor.id,
        now,
        expires_at,
    };
    setup_links::insert(&mut *tx, link).await?;
    let until = utc_minutes(expires_at);
    let mut detail = format!(
        "set-up link e-mailed to {}, works until {until}",
        person.email
    );
    if replaced > 0 {
        detail.push_str("; earlier links no longer work");
    }
    let action = AuditAction::SetupLinkSent;
    record(&mut *tx, now, admin, person.id, action, &detail, ip).await?;
    let url = format!(
        "{}/set-up?token={token}",
        state.policy.portal_url.trim_end_matches('/')
    );
    let body = format!(
        "Hello {},\n\n{} set up your MFA Portal account (username: {}). Choose your password here:\n\n{url}\n\n\
         The link works once, until {until} UTC. If you did not expect this, ignore this e-mail and tell your helpdesk.",
        person.display_name, admin.actor.display_name, person.username
    );
    let notice = Notice {
        user: person.id,
        email: &person.email,
        subject: "Set up your MFA Portal account",
        body: &body,
    };
    notify::secret_email_in(&mut *tx, &state.keys, now, notice).await?;
    tx.commit().await.context("committing a set-up link")?;
    Ok(SentLink {
        email: person.email.clone(),
        expires_at,
    })
}

/// 160 random bits, URL-safe.
fn new_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    data_encoding::BASE64URL_NOPAD.encode(&bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_160_bits_and_differ() {
        let (a, b) = (super::new_token(), super::new_token());
        assert_eq!(a.len(), 27);
        assert_ne!(a, b);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }
}
