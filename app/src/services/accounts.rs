//! Creating accounts and describing one to its owner.

use super::audit::{self, Actor, AuditRecord};
use super::caller::Caller;
use super::password_policy::{NewPassword, PasswordRuleError};
use super::time_format::utc_minutes;
use crate::domain::AuditAction;
use crate::domain::views::{AccountView, SignInSummary};
use crate::domain::{EmailAddress, MfaState, Role, Username};
use crate::state::Services;
use crate::store::users::{self, NewUser};
use crate::store::{UserId, methods, sign_in_events};
use rand::Rng;
use rand::rngs::OsRng;
use secrecy::SecretString;

pub struct NewAccount {
    pub username: Username,
    pub display_name: String,
    pub email: EmailAddress,
    pub password: FirstPassword,
    pub role: Role,
    pub mfa_state: Option<MfaState>,
    /// The person replaces the password at their first sign-in (an administrator
    /// created the account and read the password to them).
    pub must_change_password: bool,
}

/// How a new account gets its first password.
pub enum FirstPassword {
    Given(SecretString),
    /// A strong password is generated and returned (once) to the caller.
    Generated,
    /// None yet: the person chooses one from an e-mailed set-up link; until then no
    /// password signs in (`passwords::NO_PASSWORD_YET`).
    FromSetupLink,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateAccountError {
    #[error("the username {0} is already taken")]
    UsernameTaken(String),
    #[error("the display name must have 1 to 100 characters")]
    DisplayName,
    #[error("the password does not meet the rules: {0}")]
    Password(#[from] PasswordRuleError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub struct CreatedAccount {
    pub id: UserId,
    pub generated_password: Option<SecretString>,
}

pub async fn create(
    state: &Services,
    account: NewAccount,
    actor: &Actor,
) -> Result<CreatedAccount, CreateAccountError> {
    let display_name =
        checked_display_name(&account.display_name).ok_or(CreateAccountError::DisplayName)?;
    if users::find_by_username(&state.db, &account.username)
        .await?
        .is_some()
    {
        return Err(CreateAccountError::UsernameTaken(
            account.username.to_string(),
        ));
    }
    let (raw_password, generated) = match account.password {
        FirstPassword::Given(given) => (Some(given), false),
        FirstPassword::Generated => (Some(generate_password()), true),
        FirstPassword::FromSetupLink => (None, false),
    };
    let names = [account.username.as_str(), display_name.as_str()];
    let hash = match &raw_password {
        Some(raw) => {
            let password = NewPassword::parse(raw.clone(), &names)?;
            state.hasher.hash(password.into_secret()).await?
        }
        None => super::passwords::NO_PASSWORD_YET.to_owned(),
    };
    let now = state.clock.now();
    let id = users::insert(
        state.db.pool(),
        NewUser {
            username: &account.username,
            display_name: &display_name,
            email: &account.email,
            password_hash: &hash,
            role: account.role,
            mfa_state: account.mfa_state.unwrap_or(state.policy.default_mfa_state),
            must_change_password: account.must_change_password,
            now,
        },
    )
    .await?
    .ok_or_else(|| CreateAccountError::UsernameTaken(account.username.to_string()))?;
    let detail = format!("role {}", account.role);
    let record = AuditRecord {
        actor,
        subject: Some(id),
        action: AuditAction::UserCreated,
        detail: &detail,
        ip: None,
    };
    audit::record(state.db.pool(), now, record).await?;
    Ok(CreatedAccount {
        id,
        generated_password: raw_password.filter(|_| generated),
    })
}

/// A display name as stored: trimmed, 1 to 100 characters, no control characters.
pub fn checked_display_name(raw: &str) -> Option<String> {
    let name = raw.trim();
    let length = name.chars().count();
    ((1..=100).contains(&length) && !name.chars().any(char::is_control)).then(|| name.to_owned())
}

/// Five groups of four from an alphabet without look-alikes: about 100 bits.
pub fn generate_password() -> SecretString {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = OsRng;
    let groups: Vec<String> = (0..5)
        .map(|_| {
            (0..4)
                .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
                .collect()
        })
        .collect();
    SecretString::from(groups.join("-"))
}

/// The subject's row; a signed-in subject whose row is gone is a failure, not a
/// refusal (sessions of deleted accounts end on their next request).
pub async fn subject_row(state: &Services, caller: &Caller) -> anyhow::Result<users::UserRow> {
    users::find_by_id(&state.db, caller.subject.id)
        .await?
        .ok_or_else(|| {
            anyhow::anyhow!(
                "the signed-in user {} no longer exists",
                caller.subject.id.0
            )
        })
}

pub async fn overview(state: &Services, caller: &Caller) -> anyhow::Result<AccountView> {
    let user = subject_row(state, caller).await?;
    let previous =
        sign_in_events::last_success_before(&state.db, caller.subject.id, caller.sign_in_event_id)
            .await?;
    // The sign-in page never says an account is locked; this page does, for a lock
    // since the person's previous successful sign-in.
    let locked_since_last_visit = user
        .last_locked_at
        .filter(|locked| previous.as_ref().is_none_or(|(at, _)| locked > at))
        .map(utc_minutes);
    Ok(AccountView {
        display_name: user.display_name,
        username: user.username,
        email: user.email,
        role: user.role,
        mfa_state: user.mfa_state,
        previous_sign_in: previous.map(|(at, ip)| SignInSummary {
            at: utc_minutes(at),
            ip,
        }),
        method_count: methods::count_for(&state.db, caller.subject.id).await?,
        locked_since_last_visit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn generated_passwords_pass_the_rules_and_differ() {
        let a = generate_password();
        let b = generate_password();
        assert_eq!(a.expose_secret().len(), 24);
        assert_ne!(a.expose_secret(), b.expose_secret());
        assert!(NewPassword::parse(a, &["demo-admin"]).is_ok());
    }
}
