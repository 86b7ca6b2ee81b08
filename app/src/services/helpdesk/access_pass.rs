//! Temporary access passes: a helpdesk agent (for a verified caller, where policy
//! says so) or an administrator issues one; it is shown to them once, stored as a
//! keyed hash, valid for the policy's minutes, once or several times. Used on the
//! sign-in page's "temporary access pass" form it stands for both steps, and the
//! person is sent to register a new method. The person is e-mailed when one is
//! issued.

use super::caller_check::caller_is_verified_if_needed;
use super::{HelpRefusal, Outcome, helpable, record};
use crate::domain::{AuditAction, ResultCode, Username};
use crate::services::caller::{Admin, Caller, Helpdesk, Verified};
use crate::services::notify::{self, Notice};
use crate::services::portal_settings::{self, PortalSettings};
use crate::services::sign_in::{EventDraft, SignInNext, SignInRefusal, SignedIn};
use crate::services::time_format::utc_minutes;
use crate::services::{limits, lockout};
use crate::state::Services;
use crate::store::users::{self, UserRow};
use crate::store::{UserId, access_passes};
use anyhow::Context;
use data_encoding::BASE32_NOPAD;
use rand::RngCore;
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretString};
use std::net::IpAddr;

/// 80 random bits: 16 base32 characters, read out in four groups of four.
const PASS_BYTES: usize = 10;
const GROUP_LEN: usize = 4;
/// A reusable pass is limited by its time, not by a count; this only bounds it.
const REUSABLE_USES: i64 = 1_000;
/// The owner of no pass: unknown usernames are looked up under it, so they take
/// the same work as known ones.
const NO_ONE: UserId = UserId(0);

/// A pass just issued, to show the issuer this once.
pub struct IssuedPass {
    pub pass: SecretString,
    pub expires_at: i64,
    pub reusable: bool,
}

/// A helpdesk agent issues a pass, if policy allows it and the caller is verified
/// where policy asks for that.
pub async fn issue_by_helpdesk(
    state: &Services,
    agent: &Helpdesk,
    subject: UserId,
    ip: &str,
) -> Outcome<IssuedPass> {
    let target = match helpable(state, agent, subject).await? {
        Ok(target) => target,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let policy = portal_settings::current(state).await?;
    if !policy.helpdesk_may_issue_pass && !agent.is_admin() {
        return Ok(Err(HelpRefusal::NotAllowedByPolicy));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let needed = policy.pass_needs_verified_caller;
    if !caller_is_verified_if_needed(&mut *tx, needed, agent, subject, now).await? {
        return Ok(Err(HelpRefusal::CallerNotVerified));
    }
    let issued = issue_in(state, tx, agent, &target, &policy, ip).await?;
    Ok(Ok(issued))
}

/// An administrator issues a pass (their own recent verification stands in for
/// the caller check); never for themselves.
pub async fn issue_by_admin(
    state: &Services,
    admin: &Verified<Admin>,
    subject: UserId,
    ip: &str,
) -> Outcome<IssuedPass> {
    let Some(target) = users::find_by_id(&state.db, subject).await? else {
        return Ok(Err(HelpRefusal::NoSuchPerson));
    };
    if target.id == admin.actor.id {
        return Ok(Err(HelpRefusal::NotForThisPerson));
    }
    let policy = portal_settings::current(state).await?;
    let tx = state.db.begin().await?;
    let issued = issue_in(state, tx, admin, &target, &policy, ip).await?;
    Ok(Ok(issued))
}

/// Replaces the person's live pass with a new one, audited and e-mailed, in `tx`.
async fn issue_in(
    state: &Services,
    mut tx: crate::store::Tx,
    issuer: &Caller,
    target: &UserRow,
    policy: &PortalSettings,
    ip: &str,
) -> anyhow::Result<IssuedPass> {
    let now = state.clock.now();
    let pass = generate();
    let mac = state.keys.access_pass_mac(&normalise(pass.expose_secret()));
    let expires_at = now + policy.access_pass_minutes * 60;
    let reusable = policy.access_pass_reusable;
    let replaced = access_passes::revoke_live(&mut *tx, target.id, now).await?;
    access_passes::insert(
        &mut *tx,
        access_passes::NewPass {
            user: target.id,
            pass_mac: &mac,
            issued_by_user: issuer.actor.id,
            issued_by: &issuer.actor.username,
            now,
            expires_at,
            uses: if reusable { REUSABLE_USES } else { 1 },
        },
    )
    .await?;
    let uses = if reusable { "several times" } else { "once" };
    let until = utc_minutes(expires_at);
    let mut detail = format!("valid until {until}, {uses}");
    if replaced > 0 {
        detail.push_str("; the earlier pass no longer works");
    }
    record(
        &mut *tx,
        now,
        issuer,
        target.id,
        AuditAction::AccessPassIssued,
        &detail,
        ip,
    )
    .await?;
    let body = format!(
        "{} issued a temporary access pass for your MFA Portal account at {}. It works until {until}. \
         If you did not ask for one, contact your helpdesk now.",
        issuer.actor.display_name,
        utc_minutes(now)
    );
    let notice = Notice {
        user: target.id,
        email: &target.email,
        subject: "A temporary access pass was issued for your account",
        body: &body,
    };
    notify::email_in(&mut *tx, now, notice).await?;
    tx.commit().await.context("committing an access pass")?;
    Ok(IssuedPass {
        pass,
        expires_at,
        reusable,
    })
}

/// A sign-in with a temporary access pass instead of the password.
pub struct PassAttempt {
    pub username_typed: String,
    pub pass: SecretString,
    pub ip: IpAddr,
    pub user_agent: String,
}

/// Signs in with a pass: the same address limit, lockout and answers as the
/// password form; the pass is used in one conditional statement (a single-use
/// pass signs in once, however many browsers try at the same moment). A good pass
/// counts as both steps and as a fresh verification, so the person can register a
/// new method at once.
pub async fn sign_in_with_pass(
    state: &Services,
    attempt: PassAttempt,
) -> anyhow::Result<Result<SignedIn, SignInRefusal>> {
    let now = state.clock.now();
    let event = EventDraft::from_parts(
        &attempt.username_typed,
        attempt.ip,
        &attempt.user_agent,
        now,
    )
    .via_access_pass();
    if !limits::sign_in_from(state, attempt.ip).await? {
        event
            .record(state, None, ResultCode::TooManyAttemptsFromAddress)
            .await?;
        return Ok(Err(SignInRefusal::TooManyFromAddress));
    }
    let user = match Username::parse(&attempt.username_typed) {
        Ok(username) => users::find_by_username(&state.db, &username).await?,
        Err(_) => None,
    };
    let mac = state
        .keys
        .access_pass_mac(&normalise(attempt.pass.expose_secret()));
    let Some(user) = user else {
        // The same lookup as for a known name, under no one's id.
        access_passes::live_for(&state.db, NO_ONE, now).await?;
        event.record(state, None, ResultCode::UserNotFound).await?;
        return Ok(Err(SignInRefusal::InvalidCredentials));
    };
    let claim = match lockout::claim(state, user.id).await? {
        Ok(claim) => claim,
        Err(_until) => {
            event
                .record(state, Some(user.id), ResultCode::AccountLocked)
                .await?;
            return Ok(Err(SignInRefusal::InvalidCredentials));
        }
    };
    if access_passes::claim_use(&state.db, user.id, &mac, now)
        .await?
        .is_none()
    {
        claim.failed(state, attempt.ip).await?;
        event
            .record(state, Some(user.id), ResultCode::AccessPassIncorrect)
            .await?;
        return Ok(Err(SignInRefusal::InvalidCredentials));
    }
    if user.blocked_at.is_some() {
        claim.handed_back(state).await?;
        event
            .record(state, Some(user.id), ResultCode::UserIsBlocked)
            .await?;
        return Ok(Err(SignInRefusal::Blocked));
    }
    if user.disabled_at.is_some() {
        claim.handed_back(state).await?;
        event
            .record(state, Some(user.id), ResultCode::UserDisabled)
            .await?;
        return Ok(Err(SignInRefusal::Disabled));
    }
    claim.succeeded(state).await?;
    let event_id = event
        .record(state, Some(user.id), ResultCode::AccessPassAccepted)
        .await?;
    Ok(Ok(SignedIn {
        user_id: user.id,
        event_id,
        next: SignInNext::Complete { verified: true },
        session_epoch: user.session_epoch,
    }))
}

fn generate() -> SecretString {
    let mut bytes = zeroize::Zeroizing::new([0_u8; PASS_BYTES]);
    OsRng.fill_bytes(bytes.as_mut());
    let encoded = zeroize::Zeroizing::new(BASE32_NOPAD.encode(bytes.as_ref()).to_ascii_lowercase());
    let groups: Vec<&str> = encoded
        .as_bytes()
        .chunks(GROUP_LEN)
        .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
        .collect();
    SecretString::from(groups.join("-"))
}

/// What people may change when typing a pass: case, spaces, dashes.
pub fn normalise(typed: &str) -> String {
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
    fn passes_carry_80_bits_in_four_readable_groups() {
        let pass = generate();
        let text = pass.expose_secret();
        let groups: Vec<&str> = text.split('-').collect();
        assert_eq!(groups.len(), 4);
        assert!(groups.iter().all(|g| {
            g.len() == GROUP_LEN
                && g.chars()
                    .all(|c| c.is_ascii_lowercase() || ('2'..='7').contains(&c))
        }));
        assert_eq!(normalise(text).len() * 5, PASS_BYTES * 8);
        assert_ne!(text, generate().expose_secret());
    }

    #[test]
    fn case_spaces_and_dashes_do_not_matter() {
        assert_eq!(normalise(" ABCD efgh-IJKL mnop "), "abcdefghijklmnop");
    }
}
