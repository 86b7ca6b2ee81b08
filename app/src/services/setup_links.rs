//! Choosing one's password from an e-mailed set-up link (sent by an admin:
//! `admin_actions::send_setup_link`). The token is the proof: the password rules
//! are checked first, then the link is used in one conditional statement, in the
//! same transaction as the new password, so a link sets one password once however
//! many browsers try. Like any password change, every other session, remembered
//! browser and app password ends. The person then signs in as usual (second step,
//! registration).

use super::audit::{self, Actor, AuditRecord};
use super::limits;
use super::notify::{self, Notice};
use super::password_change;
use super::password_policy::PasswordRuleError;
use crate::domain::AuditAction;
use crate::state::Services;
use crate::store::{account_controls, setup_links, users};
use anyhow::Context;
use secrecy::SecretString;
use std::net::IpAddr;

/// Why the password was not set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetupRefusal {
    /// Unknown, used, replaced by a newer link, or expired: one answer for all.
    LinkOver,
    Rule(PasswordRuleError),
    TooManyFromAddress,
}

/// Whose link this is, for the page that asks for the password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkHolder {
    pub username: String,
    pub display_name: String,
}

fn token_mac(state: &Services, token: &str) -> String {
    state.keys.setup_link_mac(token.trim())
}

/// The person a live link is for, or `None`.
pub async fn holder(state: &Services, token: &str) -> anyhow::Result<Option<LinkHolder>> {
    let now = state.clock.now();
    let Some((_, user)) = setup_links::find_live(&state.db, &token_mac(state, token), now).await?
    else {
        return Ok(None);
    };
    Ok(users::find_by_id(&state.db, user)
        .await?
        .map(|row| LinkHolder {
            username: row.username,
            display_name: row.display_name,
        }))
}

/// Sets the person's password from the link `token`.
pub async fn set_password(
    state: &Services,
    token: &str,
    new: SecretString,
    ip: IpAddr,
) -> anyhow::Result<Result<(), SetupRefusal>> {
    // Tokens cannot be guessed, but each try costs a hash: the sign-in page's
    // address limit applies.
    if !limits::sign_in_from(state, ip).await? {
        return Ok(Err(SetupRefusal::TooManyFromAddress));
    }
    let now = state.clock.now();
    let Some((link, user)) =
        setup_links::find_live(&state.db, &token_mac(state, token), now).await?
    else {
        return Ok(Err(SetupRefusal::LinkOver));
    };
    let Some(row) = users::find_by_id(&state.db, user).await? else {
        return Ok(Err(SetupRefusal::LinkOver));
    };
    let names = [row.username.as_str(), row.display_name.as_str()];
    let checked = match password_change::checked_new(state, &names, new).await? {
        Ok(checked) => checked,
        Err(rule) => return Ok(Err(SetupRefusal::Rule(rule))),
    };
    let mut tx = state.db.begin().await.context("starting a set-up")?;
    if !setup_links::claim(&mut *tx, link, now).await? {
        return Ok(Err(SetupRefusal::LinkOver));
    }
    let revoked = password_change::replace(&mut tx, user, checked, now).await?;
    account_controls::clear_temporary_flag(&mut *tx, user).await?;
    let actor = Actor::User {
        id: user,
        username: row.username.clone(),
    };
    let detail = format!(
        "password chosen from a set-up link; other sessions ended, {} app passwords revoked",
        revoked.app_passwords
    );
    let ip = ip.to_string();
    let record = AuditRecord {
        actor: &actor,
        subject: Some(user),
        action: AuditAction::PasswordSetByLink,
        detail: &detail,
        ip: Some(&ip),
    };
    audit::record(&mut *tx, now, record).await?;
    let notice = Notice {
        user,
        email: &row.email,
        subject: "Your MFA Portal password was set",
        body: "You chose the password of your MFA Portal account from a set-up link. If this was not you, contact your helpdesk now.",
    };
    notify::email_in(&mut *tx, now, notice).await?;
    tx.commit().await.context("committing a set-up")?;
    Ok(Ok(()))
}
