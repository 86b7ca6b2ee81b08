//! The account's guess limit, shared by passwords and codes. An attempt is counted
//! *before* the secret is checked, by one conditional `UPDATE … RETURNING` that
//! refuses once the limit is reached, so a burst of parallel guesses gets at most
//! `lockout_threshold` of them evaluated. The outcome then settles the claim: a
//! failure may lock the account, a success hands the attempt back.

use super::audit::{self, Actor, AuditRecord};
use super::notify::{self, Notice};
use super::time_format::utc_minutes;
use crate::domain::AuditAction;
use crate::state::Services;
use crate::store::{UserId, users};
use std::net::IpAddr;

/// The right to check one guess for an account.
#[must_use = "settle the attempt with failed, succeeded or handed_back"]
#[derive(Debug)]
pub struct AttemptClaim {
    user: UserId,
    /// Consecutive unsettled-or-failed attempts, this one included.
    count: i64,
    lockout_count: i64,
    /// The policy's threshold when the attempt was claimed.
    threshold: i64,
}

/// Claims one attempt; `Err(until)` when the account is locked (or the limit is
/// taken by attempts still being checked, which locks it now).
pub async fn claim(state: &Services, user: UserId) -> anyhow::Result<Result<AttemptClaim, i64>> {
    let now = state.clock.now();
    let threshold = super::portal_settings::current(state)
        .await?
        .lockout_threshold;
    if let Some((count, lockout_count)) =
        users::claim_attempt(&state.db, user, now, threshold).await?
    {
        return Ok(Ok(AttemptClaim {
            user,
            count,
            lockout_count,
            threshold,
        }));
    }
    let Some(row) = users::find_by_id(&state.db, user).await? else {
        return Ok(Err(now));
    };
    if let Some(until) = row.locked_until.filter(|until| *until > now) {
        return Ok(Err(until));
    }
    // Every allowed attempt is taken and none has failed yet (or a process died
    // holding one): the limit is spent, so the lock starts now.
    let until = lock(state, user, row.lockout_count, threshold, None).await?;
    Ok(Err(until.unwrap_or(now)))
}

impl AttemptClaim {
    /// A wrong password or code: the attempt stays counted, and the one that
    /// reaches the limit locks the account.
    pub async fn failed(self, state: &Services, ip: IpAddr) -> anyhow::Result<()> {
        if self.count >= self.threshold {
            let (user, count) = (self.user, self.lockout_count);
            lock(state, user, count, self.threshold, Some(ip)).await?;
        }
        Ok(())
    }

    /// The sign-in is complete: failures and lockouts start again from nothing.
    pub async fn succeeded(self, state: &Services) -> anyhow::Result<()> {
        users::clear_failures(&state.db, self.user).await
    }

    /// A correct password with a second step still due: the attempt is not a
    /// failure, but earlier failures stay (a password alone must not buy an attacker
    /// fresh guesses at the second factor).
    pub async fn handed_back(self, state: &Services) -> anyhow::Result<()> {
        users::hand_back_attempt(&state.db, self.user).await
    }
}

/// Locks the account if its count still stands at the limit; only the caller that
/// locks records it and tells the owner. Returns the end of the lock it set.
async fn lock(
    state: &Services,
    user: UserId,
    lockout_count: i64,
    threshold: i64,
    ip: Option<IpAddr>,
) -> anyhow::Result<Option<i64>> {
    let policy = &state.policy;
    let now = state.clock.now();
    let until = now
        + lockout_secs(
            policy.lockout_base_secs,
            policy.lockout_max_secs,
            lockout_count,
        );
    if !users::lock_if_over(&state.db, user, threshold, until, now).await? {
        return Ok(None);
    }
    let ip = ip.map(|ip| ip.to_string());
    let detail = format!("locked after {threshold} failed attempts until {until}");
    let record = AuditRecord {
        actor: &Actor::System("lockout"),
        subject: Some(user),
        action: AuditAction::AccountLocked,
        detail: &detail,
        ip: ip.as_deref(),
    };
    audit::record(state.db.pool(), now, record).await?;
    tracing::warn!(
        user_id = user.0,
        until,
        "account locked after repeated failures"
    );
    tell_owner(state, user, until).await?;
    Ok(Some(until))
}

/// The owner hears of each lock once, by e-mail (the sign-in page does not say an
/// account is locked, so that it cannot tell an attacker the account exists).
async fn tell_owner(state: &Services, user: UserId, until: i64) -> anyhow::Result<()> {
    let Some(row) = users::find_by_id(&state.db, user).await? else {
        return Ok(());
    };
    if row.email.is_empty() {
        return Ok(());
    }
    let body = format!(
        "Hello {name},\n\nYour MFA Portal account {username} was locked at {at} after too \
         many wrong passwords or codes. It opens again at {until}.\n\nIf that was not you, \
         someone may know your password: sign in after that time and change it, or ask your \
         helpdesk.\n\n{portal}",
        name = row.display_name,
        username = row.username,
        at = utc_minutes(state.clock.now()),
        until = utc_minutes(until),
        portal = state.policy.portal_url,
    );
    notify::email(
        state,
        Notice {
            user,
            email: &row.email,
            subject: "Your account was locked",
            body: &body,
        },
    )
    .await
}

/// The n-th lockout since the last success lasts base × 2ⁿ, capped at `max`.
pub fn lockout_secs(base: i64, max: i64, previous_lockouts: i64) -> i64 {
    let doublings = u32::try_from(previous_lockouts.clamp(0, 30)).unwrap_or(30);
    base.saturating_mul(1_i64 << doublings).min(max)
}

#[cfg(test)]
mod tests {
    use super::lockout_secs;

    #[test]
    fn each_lockout_lasts_twice_as_long_as_the_one_before_up_to_the_cap() {
        assert_eq!(lockout_secs(900, 86_400, 0), 900);
        assert_eq!(lockout_secs(900, 86_400, 1), 1_800);
        assert_eq!(lockout_secs(900, 86_400, 3), 7_200);
        assert_eq!(lockout_secs(900, 86_400, 10), 86_400);
        assert_eq!(lockout_secs(900, 86_400, i64::MAX), 86_400);
    }
}
