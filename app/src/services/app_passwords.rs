//! App passwords for apps that cannot do a second factor (mail clients, VPN
//! gateways): generated here, shown once, stored only as a keyed hash, named,
//! capped, revocable, and good for the verify endpoint only — never for the portal.

use super::audit;
use super::caller::{Caller, Verified};
use super::limits;
use super::notify::{self, Notice};
use super::sign_in::EventDraft;
use super::time_format::utc_minutes;
use crate::domain::AuditAction;
use crate::domain::views::AppPasswordView;
use crate::domain::{MethodName, ResultCode, Username};
use crate::state::Services;
use crate::store::{UserId, app_passwords, users};
use anyhow::Context;
use data_encoding::BASE32_NOPAD;
use rand::RngCore;
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretString};
use std::net::IpAddr;

/// 4 groups of 7 base32 characters: 140 bits, easy to read out and type.
const GROUPS: usize = 4;
const GROUP_LEN: usize = 7;

pub struct CreatedAppPassword {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    /// Shown to the person exactly once.
    pub password: SecretString,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateRefusal {
    NotAllowed,
    AtCap { cap: i64 },
}

/// Creating an app password adds a way to sign in: it needs the step-up.
pub async fn create(
    state: &Services,
    caller: &Verified<Caller>,
    name: &MethodName,
    ip: IpAddr,
) -> anyhow::Result<Result<CreatedAppPassword, CreateRefusal>> {
    let policy = super::portal_settings::current(state).await?;
    if !policy.app_passwords_allowed {
        return Ok(Err(CreateRefusal::NotAllowed));
    }
    let password = generate();
    let mac = state
        .keys
        .app_password_mac(&normalise(password.expose_secret()));
    let now = state.clock.now();
    let cap = policy.app_passwords_max;
    // The cap is a count-then-insert: only atomic while the person's row is held.
    let mut tx = state.db.begin().await?;
    users::lock_row(&mut tx, caller.subject.id).await?;
    let inserted =
        app_passwords::insert_under_cap(&mut *tx, caller.subject.id, name.as_str(), &mac, now, cap)
            .await?;
    tx.commit().await.context("committing an app password")?;
    let Some(id) = inserted else {
        return Ok(Err(CreateRefusal::AtCap { cap }));
    };
    let detail = format!("created app password \"{}\"", name.as_str());
    let ip = ip.to_string();
    let action = AuditAction::AppPasswordCreated;
    audit::record_change(state.db.pool(), now, caller, action, &detail, &ip).await?;
    let body = format!(
        "An app password named \"{}\" was created for your MFA Portal account. If this was not you, revoke it on the Security info page and contact your helpdesk.",
        name.as_str()
    );
    let notice = Notice {
        user: caller.subject.id,
        email: &caller.subject.email,
        subject: "A new app password was created",
        body: &body,
    };
    notify::email(state, notice).await?;
    Ok(Ok(CreatedAppPassword {
        id,
        name: name.as_str().to_owned(),
        created_at: now,
        password,
    }))
}

pub async fn list(state: &Services, caller: &Caller) -> anyhow::Result<Vec<AppPasswordView>> {
    list_for(state, caller.subject.id).await
}

/// `user`'s live app passwords (names and use, never the passwords).
pub async fn list_for(state: &Services, user: UserId) -> anyhow::Result<Vec<AppPasswordView>> {
    Ok(app_passwords::list_live(&state.db, user)
        .await?
        .into_iter()
        .map(|row| AppPasswordView {
            id: row.id,
            name: row.name,
            created: utc_minutes(row.created_at),
            last_used: row.last_used_at.map(|at| {
                format!(
                    "{} from {}",
                    utc_minutes(at),
                    row.last_used_ip.unwrap_or_default()
                )
            }),
        })
        .collect())
}

pub async fn revoke(
    state: &Services,
    caller: &Caller,
    id: i64,
    ip: IpAddr,
) -> anyhow::Result<bool> {
    caller.require_writable()?;
    let now = state.clock.now();
    let Some(name) = app_passwords::revoke(&state.db, caller.subject.id, id, now).await? else {
        return Ok(false);
    };
    let detail = format!("revoked app password \"{name}\"");
    audit_revocation(state, caller, &detail, ip, now).await?;
    Ok(true)
}

/// Revokes every live app password of the caller; returns how many there were.
pub async fn revoke_all(state: &Services, caller: &Caller, ip: IpAddr) -> anyhow::Result<u64> {
    caller.require_writable()?;
    let now = state.clock.now();
    let revoked = app_passwords::revoke_all(state.db.pool(), caller.subject.id, now).await?;
    if revoked > 0 {
        let detail = format!("revoked all {revoked} app passwords");
        audit_revocation(state, caller, &detail, ip, now).await?;
    }
    Ok(revoked)
}

async fn audit_revocation(
    state: &Services,
    caller: &Caller,
    detail: &str,
    ip: IpAddr,
    now: i64,
) -> anyhow::Result<()> {
    let ip = ip.to_string();
    let action = AuditAction::AppPasswordRevoked;
    audit::record_change(state.db.pool(), now, caller, action, detail, &ip).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyOutcome {
    Accepted,
    Refused,
    TooMany,
}

/// Checks a username and app password from a non-browser app. Every attempt is a
/// sign-in event (auth type "app password", the password's name as the app).
pub async fn verify(
    state: &Services,
    username: &str,
    password: &SecretString,
    ip: IpAddr,
    user_agent: &str,
) -> anyhow::Result<VerifyOutcome> {
    let now = state.clock.now();
    let event = EventDraft::from_parts(username, ip, user_agent, now).via_app_password(None);
    // Both limits count the attempt in the same statement that judges it; the
    // per-account one is keyed by the name as typed, known or not.
    let within =
        limits::api_from(state, ip).await? && limits::api_for_username(state, username).await?;
    let user = match Username::parse(username) {
        Ok(name) => users::find_by_username(&state.db, &name).await?,
        Err(_) => None,
    };
    if !within {
        event
            .record(
                state,
                user.as_ref().map(|u| u.id),
                ResultCode::TooManyAttemptsFromAddress,
            )
            .await?;
        return Ok(VerifyOutcome::TooMany);
    }
    // The keyed hash and the lookup happen for unknown names too, so the answer
    // takes the same work whether the account exists or not.
    let mac = state
        .keys
        .app_password_mac(&normalise(password.expose_secret()));
    let owner = user.as_ref().map_or(UNKNOWN_USER, |u| u.id);
    let found = app_passwords::find_live(&state.db, owner, &mac).await?;
    let Some(user) = user else {
        event.record(state, None, ResultCode::UserNotFound).await?;
        return Ok(VerifyOutcome::Refused);
    };
    if user.blocked_at.is_some() {
        event
            .record(state, Some(user.id), ResultCode::UserIsBlocked)
            .await?;
        return Ok(VerifyOutcome::Refused);
    }
    if user.disabled_at.is_some() {
        event
            .record(state, Some(user.id), ResultCode::UserDisabled)
            .await?;
        return Ok(VerifyOutcome::Refused);
    }
    if user.locked_until.is_some_and(|until| until > now) {
        event
            .record(state, Some(user.id), ResultCode::AccountLocked)
            .await?;
        return Ok(VerifyOutcome::Refused);
    }
    match found {
        Some((id, name)) => {
            app_passwords::touch(&state.db, id, now, &ip.to_string()).await?;
            let event =
                EventDraft::from_parts(username, ip, user_agent, now).via_app_password(Some(&name));
            event
                .record(state, Some(user.id), ResultCode::AppPasswordAccepted)
                .await?;
            Ok(VerifyOutcome::Accepted)
        }
        None => {
            event
                .record(state, Some(user.id), ResultCode::AppPasswordIncorrect)
                .await?;
            Ok(VerifyOutcome::Refused)
        }
    }
}

/// No user has this id: looking up a password for it costs what a real lookup costs.
const UNKNOWN_USER: UserId = UserId(-1);

fn generate() -> SecretString {
    let mut bytes = zeroize::Zeroizing::new([0_u8; 18]);
    OsRng.fill_bytes(bytes.as_mut());
    let encoded = zeroize::Zeroizing::new(BASE32_NOPAD.encode(bytes.as_ref()).to_ascii_lowercase());
    let groups: Vec<&str> = (0..GROUPS)
        .map(|g| &encoded[g * GROUP_LEN..(g + 1) * GROUP_LEN])
        .collect();
    SecretString::from(groups.join("-"))
}

/// What people may change when typing it: case, spaces, dashes.
fn normalise(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_app_passwords_have_140_bits_in_four_typeable_groups() {
        let password = generate();
        let text = password.expose_secret();
        assert_eq!(text.len(), GROUPS * GROUP_LEN + GROUPS - 1);
        assert!(text.split('-').all(|g| {
            g.len() == GROUP_LEN
                && g.chars()
                    .all(|c| c.is_ascii_lowercase() || ('2'..='7').contains(&c))
        }));
        assert_ne!(text, generate().expose_secret());
    }

    #[test]
    fn case_spaces_and_dashes_do_not_matter() {
        assert_eq!(normalise("ABCD efg-HIJ"), "abcdefghij");
    }
}
