//! Who a person is: an admin creates accounts and edits name, e-mail and role.

use super::setup_link::{SentLink, send_in};
use super::{Outcome, Refusal, record};
use crate::domain::{AuditAction, EmailAddress, FieldError, MfaState, Role, Username};
use crate::services::accounts::{
    self, CreateAccountError, FirstPassword, NewAccount, checked_display_name,
};
use crate::services::caller::{Admin, Verified};
use crate::state::Services;
use crate::store::account_controls::{self, Profile};
use crate::store::{UserId, users};
use anyhow::Context;
use secrecy::SecretString;

const DISPLAY_NAME_RULE: &str = "Enter a name of 1 to 100 characters.";

fn display_name(raw: &str) -> Result<String, FieldError> {
    checked_display_name(raw).ok_or_else(|| FieldError::new("display_name", DISPLAY_NAME_RULE))
}

fn email(raw: &str) -> Result<EmailAddress, FieldError> {
    EmailAddress::parse(raw.trim())
        .map_err(|_| FieldError::new("email", "Enter an e-mail address like name@example.com."))
}

fn role(raw: &str) -> Result<Role, FieldError> {
    Role::parse(raw).ok_or_else(|| FieldError::new("role", "Choose one of the listed roles."))
}

/// A new account as the admin typed it, checked field by field.
pub struct NewPerson {
    username: Username,
    display_name: String,
    email: EmailAddress,
    role: Role,
    mfa_state: MfaState,
}

impl NewPerson {
    pub fn parse(
        username: &str,
        display_name_typed: &str,
        email_typed: &str,
        role_typed: &str,
        mfa_state: &str,
    ) -> Result<NewPerson, FieldError> {
        Ok(NewPerson {
            username: Username::parse(username)
                .map_err(|e| FieldError::new("username", e.to_string()))?,
            display_name: display_name(display_name_typed)?,
            email: email(email_typed)?,
            role: role(role_typed)?,
            mfa_state: MfaState::parse(mfa_state).ok_or_else(|| {
                FieldError::new("mfa_state", "Choose one of the listed MFA states.")
            })?,
        })
    }
}

/// How the person gets their first password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirstPasswordBy {
    /// Generated, shown to the admin once, replaced by the person at first sign-in.
    ShownOnce,
    /// Chosen by the person from an e-mailed set-up link.
    EmailedLink,
}

impl FirstPasswordBy {
    pub fn parse(raw: Option<&str>) -> Result<FirstPasswordBy, FieldError> {
        match raw.map(str::trim) {
            None | Some("") | Some("show") => Ok(FirstPasswordBy::ShownOnce),
            Some("email") => Ok(FirstPasswordBy::EmailedLink),
            Some(_) => Err(FieldError::new(
                "first_password",
                "Choose how the person gets their first password.",
            )),
        }
    }
}

/// The account made, and how it gets its first password.
pub struct CreatedPerson {
    pub id: UserId,
    pub first: FirstPasswordGiven,
}

pub enum FirstPasswordGiven {
    /// Shown to the admin once, replaced by the person at their first sign-in.
    Shown(SecretString),
    Emailed(SentLink),
}

pub async fn create_person(
    state: &Services,
    admin: &Verified<Admin>,
    person: NewPerson,
    by: FirstPasswordBy,
    ip: &str,
) -> anyhow::Result<Result<CreatedPerson, FieldError>> {
    let account = NewAccount {
        username: person.username,
        display_name: person.display_name,
        email: person.email,
        password: match by {
            FirstPasswordBy::ShownOnce => FirstPassword::Generated,
            FirstPasswordBy::EmailedLink => FirstPassword::FromSetupLink,
        },
        role: person.role,
        mfa_state: Some(person.mfa_state),
        must_change_password: by == FirstPasswordBy::ShownOnce,
    };
    match accounts::create(state, account, &admin.audit_actor()).await {
        Ok(created) => {
            let first = match created.generated_password {
                Some(password) => FirstPasswordGiven::Shown(password),
                None => {
                    let row = users::find_by_id(&state.db, created.id)
                        .await?
                        .context("a created account is gone")?;
                    let tx = state.db.begin().await?;
                    FirstPasswordGiven::Emailed(send_in(state, tx, admin, &row, ip).await?)
                }
            };
            Ok(Ok(CreatedPerson {
                id: created.id,
                first,
            }))
        }
        Err(CreateAccountError::UsernameTaken(name)) => Ok(Err(FieldError::new(
            "username",
            format!("The username {name} is already taken."),
        ))),
        Err(CreateAccountError::DisplayName) => {
            Ok(Err(FieldError::new("display_name", DISPLAY_NAME_RULE)))
        }
        Err(CreateAccountError::Password(rule)) => {
            Err(anyhow::anyhow!("a generated password broke a rule: {rule}"))
        }
        Err(CreateAccountError::Internal(e)) => Err(e),
    }
}

/// Name, e-mail and role as the admin typed them.
pub struct ProfileEdit {
    display_name: String,
    email: EmailAddress,
    role: Role,
}

impl ProfileEdit {
    pub fn parse(
        display_name_typed: &str,
        email_typed: &str,
        role_typed: &str,
    ) -> Result<ProfileEdit, FieldError> {
        Ok(ProfileEdit {
            display_name: display_name(display_name_typed)?,
            email: email(email_typed)?,
            role: role(role_typed)?,
        })
    }
}

/// Changes name, e-mail and role. The last active administrator cannot lose the
/// role: the rule and the change hold the administrators' lock.
pub async fn edit_profile(
    state: &Services,
    admin: &Verified<Admin>,
    user: UserId,
    edit: ProfileEdit,
    ip: &str,
) -> Outcome {
    let Some(before) = users::find_by_id(&state.db, user).await? else {
        return Ok(Err(Refusal::NoSuchPerson));
    };
    let mut changes = Vec::new();
    if before.display_name != edit.display_name {
        changes.push(format!(
            "name \"{}\" -> \"{}\"",
            before.display_name, edit.display_name
        ));
    }
    if before.email != edit.email.as_str() {
        changes.push(format!(
            "e-mail {} -> {}",
            before.email,
            edit.email.as_str()
        ));
    }
    if before.role != edit.role {
        changes.push(format!("role {} -> {}", before.role, edit.role));
    }
    if changes.is_empty() {
        return Ok(Ok(()));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let loses_admin = before.role == Role::Admin && edit.role != Role::Admin;
    if loses_admin && before.disabled_at.is_none() {
        account_controls::lock_admins(&mut tx).await?;
        if account_controls::other_active_admins(&mut tx, user).await? == 0 {
            return Ok(Err(Refusal::LastAdmin));
        }
    }
    let profile = Profile {
        display_name: &edit.display_name,
        email: &edit.email,
        role: edit.role,
    };
    account_controls::set_profile(&mut *tx, user, &profile).await?;
    let detail = changes.join("; ");
    record(
        &mut *tx,
        now,
        admin,
        user,
        AuditAction::UserProfileChanged,
        &detail,
        ip,
    )
    .await?;
    tx.commit().await.context("committing a profile change")?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::{NewPerson, ProfileEdit};

    #[test]
    fn each_bad_field_is_named() {
        let field = |r: Result<NewPerson, crate::domain::FieldError>| r.err().map(|e| e.field);
        assert_eq!(
            field(NewPerson::parse(
                "Erin",
                "Erin E",
                "erin@example.com",
                "user",
                "enabled"
            )),
            None
        );
        assert_eq!(
            field(NewPerson::parse(
                "x",
                "Erin",
                "erin@example.com",
                "user",
                "enabled"
            )),
            Some("username")
        );
        assert_eq!(
            field(NewPerson::parse(
                "erin",
                " ",
                "erin@example.com",
                "user",
                "enabled"
            )),
            Some("display_name")
        );
        assert_eq!(
            field(NewPerson::parse("erin", "Erin", "erin", "user", "enabled")),
            Some("email")
        );
        assert_eq!(
            field(NewPerson::parse(
                "erin",
                "Erin",
                "erin@example.com",
                "root",
                "enabled"
            )),
            Some("role")
        );
        assert_eq!(
            field(NewPerson::parse(
                "erin",
                "Erin",
                "erin@example.com",
                "user",
                "on"
            )),
            Some("mfa_state")
        );
        let edit = ProfileEdit::parse("  Erin Example ", "erin@example.com", "admin").unwrap();
        assert_eq!(edit.display_name, "Erin Example");
        assert!(ProfileEdit::parse(&"n".repeat(101), "erin@example.com", "user").is_err());
    }
}
