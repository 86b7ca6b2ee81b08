//! Phones set by the organisation (seed 003): the admin sets a person's
//! authentication phone, so that a person with MFA on is asked for a code on it at
//! their first sign-in without typing a number.

use super::{Refusal, record};
use crate::domain::{AuditAction, FieldError, PhoneNumber, PhoneType, SignInMethod};
use crate::services::caller::{Admin, Verified};
use crate::services::portal_settings;
use crate::state::Services;
use crate::store::phones::{self, NewPhone};
use crate::store::{UserId, users};
use anyhow::Context;

/// A phone as the admin typed it: the number (international, starting with +),
/// which phone it is, and whether sign-in texts or calls it.
pub struct OrgPhone {
    number: PhoneNumber,
    phone_type: PhoneType,
    use_for: SignInMethod,
}

impl OrgPhone {
    pub fn parse(number: &str, phone_type: &str, use_for: &str) -> Result<OrgPhone, FieldError> {
        let phone_type = PhoneType::parse(phone_type)
            .ok_or_else(|| FieldError::new("phone_type", "Choose one of the listed phones."))?;
        let use_for = SignInMethod::parse(use_for)
            .filter(|m| matches!(m, SignInMethod::Sms | SignInMethod::PhoneCall))
            .ok_or_else(|| FieldError::new("use_for", "Choose a text or a call."))?;
        if use_for == SignInMethod::Sms && !phone_type.takes_sms() {
            return Err(FieldError::new(
                "use_for",
                "Office and alternate phones take calls only. Choose a call, or a mobile phone.",
            ));
        }
        let number = PhoneNumber::parse("", number)
            .and_then(|n| n.check_type(phone_type).map(|()| n))
            .map_err(|e| FieldError::new("number", e.to_string()))?;
        Ok(OrgPhone {
            number,
            phone_type,
            use_for,
        })
    }
}

/// Sets (or replaces) the person's phone of that type, active at once and marked
/// "set by your organisation", and makes texts or calls their default method. The
/// policy's phone regions apply as to people adding their own.
pub async fn set_org_phone(
    state: &Services,
    admin: &Verified<Admin>,
    user: UserId,
    phone: OrgPhone,
    ip: &str,
) -> anyhow::Result<Result<(), OrgPhoneRefusal>> {
    if users::find_by_id(&state.db, user).await?.is_none() {
        return Ok(Err(OrgPhoneRefusal::Action(Refusal::NoSuchPerson)));
    }
    let policy = portal_settings::current(state).await?;
    if !policy.allows_region(phone.number.region()) {
        return Ok(Err(OrgPhoneRefusal::Field(FieldError::new(
            "number",
            "Your policy does not allow numbers from this country.",
        ))));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let new = NewPhone {
        user,
        name: phone.phone_type.label(),
        phone_type: phone.phone_type,
        e164: phone.number.e164(),
        international: phone.number.international(),
        region: phone.number.region(),
        set_by_org: true,
        now,
        pending_until: None,
    };
    phones::replace_by_organisation(&mut tx, new).await?;
    users::set_default_method(&mut *tx, user, phone.use_for.as_str()).await?;
    let detail = format!(
        "{} set to {}; sign-in starts with {}",
        phone.phone_type.label(),
        phone.number.international(),
        phone.use_for.label()
    );
    let action = AuditAction::PhoneSetByOrganisation;
    record(&mut *tx, now, admin, user, action, &detail, ip).await?;
    tx.commit()
        .await
        .context("committing a phone set by an admin")?;
    Ok(Ok(()))
}

/// Why a phone was not set: bad input for a field, or the person is gone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrgPhoneRefusal {
    Field(FieldError),
    Action(Refusal),
}

#[cfg(test)]
mod tests {
    use super::OrgPhone;

    #[test]
    fn a_phone_is_checked_against_its_type_and_use() {
        let field = |r: Result<OrgPhone, crate::domain::FieldError>| r.err().map(|e| e.field);
        assert_eq!(
            field(OrgPhone::parse("+31 6 12345678", "mobile", "sms")),
            None
        );
        assert_eq!(
            field(OrgPhone::parse("+31 20 1234567", "office", "phone_call")),
            None
        );
        assert_eq!(
            field(OrgPhone::parse("+31 20 1234567", "office", "sms")),
            Some("use_for")
        );
        assert_eq!(
            field(OrgPhone::parse("+31 20 1234567", "mobile", "sms")),
            Some("number")
        );
        assert_eq!(
            field(OrgPhone::parse("0612345678", "mobile", "sms")),
            Some("number")
        );
        assert_eq!(
            field(OrgPhone::parse("+31 6 12345678", "pager", "sms")),
            Some("phone_type")
        );
        assert_eq!(
            field(OrgPhone::parse("+31 6 12345678", "mobile", "app_code")),
            Some("use_for")
        );
    }
}
