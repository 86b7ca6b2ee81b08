//! Adding a phone: checked against policy and the number rules, pending until the
//! first code (or approved call) verifies it; then it replaces the person's phone
//! of that type. Also the phones Security info lists, what the add-a-phone form
//! offers, and phones set by the organisation.

use super::challenges::start;
use super::{ChallengePurpose, Outcome, PhoneRefusal, Requester, refused};
use crate::domain::AuditAction;
use crate::domain::phone_number::{PhoneNumber, PhoneNumberError};
use crate::domain::views::{PhoneChallengeView, PhoneSetupView, PhoneView, RegionOption};
use crate::domain::{PhoneChannel, PhoneType, SignInMethod};
use crate::services::audit::{self, Actor, AuditRecord};
use crate::services::caller::{Enroller, Person};
use crate::services::phone_codes::CODE_TTL_SECS;
use crate::services::portal_settings::{self, PortalSettings};
use crate::services::time_format::utc_minutes;
use crate::state::Services;
use crate::store::phones::{self, NewPhone};
use crate::store::{MethodId, UserId, users};
use anyhow::Context;
use std::net::IpAddr;

pub struct NewPhoneInput<'a> {
    pub region: &'a str,
    pub number: &'a str,
    pub phone_type: &'a str,
    pub channel: &'a str,
}

/// Adds a phone (pending) and sends the text or places the call that verifies it.
/// Only an [`Enroller`] (recent step-up, or registering at sign-in) may add a phone.
pub async fn add(
    state: &Services,
    enroller: &Enroller,
    ip: IpAddr,
    user_agent: String,
    input: NewPhoneInput<'_>,
) -> Outcome<PhoneChallengeView> {
    let who = &Requester {
        user: enroller.person().id,
        bound_event_id: enroller.event_id(),
        ip,
        user_agent,
    };
    if !state.policy.phone.available {
        return refused(PhoneRefusal::Unavailable);
    }
    let settings = portal_settings::current(state).await?;
    let Some(phone_type) = PhoneType::parse(input.phone_type) else {
        return refused(PhoneRefusal::invalid(
            "phone_type",
            "Pick the kind of phone.",
        ));
    };
    let Some(channel) = PhoneChannel::parse(input.channel) else {
        return refused(PhoneRefusal::invalid("channel", "Choose a text or a call."));
    };
    if channel == PhoneChannel::Sms && !phone_type.takes_sms() {
        return refused(PhoneRefusal::invalid(
            "channel",
            "Office and alternate phones take calls only. Choose \u{201c}Call me\u{201d}.",
        ));
    }
    if !settings.allows(channel.method()) {
        return refused(PhoneRefusal::NotAllowed);
    }
    let number = match PhoneNumber::parse(input.region, input.number)
        .and_then(|n| n.check_type(phone_type).map(|()| n))
    {
        Ok(n) => n,
        Err(PhoneNumberError::UnknownCountry) => {
            return refused(PhoneRefusal::invalid(
                "region",
                PhoneNumberError::UnknownCountry.to_string(),
            ));
        }
        Err(e) => return refused(PhoneRefusal::invalid("number", e.to_string())),
    };
    if !settings.allows_region(number.region()) {
        let name = region_name(number.region());
        return refused(PhoneRefusal::invalid(
            "number",
            format!("Your organisation does not accept phone numbers from {name}."),
        ));
    }
    if locked_by_org(state, who.user, phone_type, &settings).await? {
        return refused(PhoneRefusal::SetByOrganisation);
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await.context("starting to add a phone")?;
    let new_phone = NewPhone {
        user: who.user,
        name: phone_type.label(),
        phone_type,
        e164: number.e164(),
        international: number.international(),
        region: number.region(),
        set_by_org: false,
        now,
        pending_until: Some(now + CODE_TTL_SECS),
    };
    let method_id = phones::insert(&mut tx, new_phone).await?;
    tx.commit().await.context("committing a new phone")?;
    let phone = phones::find(&state.db, who.user, method_id)
        .await?
        .context("a phone just added is missing")?;
    start(state, who, &phone, channel, ChallengePurpose::Enrol).await
}

/// Whether the person's phone of this type was set by the organisation and policy
/// says they may not replace it.
async fn locked_by_org(
    state: &Services,
    user: UserId,
    phone_type: PhoneType,
    settings: &PortalSettings,
) -> anyhow::Result<bool> {
    if settings.users_may_change_admin_phone {
        return Ok(false);
    }
    Ok(phones::list_active(&state.db, user)
        .await?
        .iter()
        .any(|p| p.set_by_org && p.phone_type == phone_type))
}

/// Makes a verified phone a method (replacing the person's phone of that type) and
/// tells them by e-mail.
pub async fn activate(
    state: &Services,
    who: &Requester,
    user: &users::UserRow,
    method_id: MethodId,
) -> Outcome<()> {
    let now = state.clock.now();
    if !phones::activate_replacing(&state.db, who.user, method_id, now).await? {
        return refused(PhoneRefusal::EnrolmentExpired);
    }
    let phone = phones::find(&state.db, who.user, method_id)
        .await?
        .context("an activated phone is missing")?;
    let shown = phone.international.clone();
    let what = format!("The phone number {shown}");
    let owner = Person::from(user);
    crate::services::security::method_added(state, &owner, &what, &who.ip.to_string()).await?;
    Ok(Ok(()))
}

fn region_name(region: &str) -> String {
    isocountry::CountryCode::for_alpha2(region)
        .map(|c| c.name().to_owned())
        .unwrap_or_else(|_| region.to_owned())
}

/// The person's phones for Security info.
pub async fn list(state: &Services, user: UserId) -> anyhow::Result<Vec<PhoneView>> {
    let settings = portal_settings::current(state).await?;
    let rows = phones::list_active(&state.db, user).await?;
    Ok(rows
        .into_iter()
        .map(|p| PhoneView {
            method_id: p.method_id.0,
            type_label: p.phone_type.label().to_owned(),
            number: p.international.clone(),
            takes_sms: p.phone_type.takes_sms(),
            set_by_org: p.set_by_org,
            locked: p.set_by_org && !settings.users_may_change_admin_phone,
            added: utc_minutes(p.created_at),
        })
        .collect())
}

/// What the add-a-phone form offers this person, or `None` when phones are off.
pub async fn setup(state: &Services, user: UserId) -> anyhow::Result<Option<PhoneSetupView>> {
    let settings = portal_settings::current(state).await?;
    let sms_allowed = settings.allows(SignInMethod::Sms);
    let voice_allowed = settings.allows(SignInMethod::PhoneCall);
    if !state.policy.phone.available || !(sms_allowed || voice_allowed) {
        return Ok(None);
    }
    let regions = crate::domain::phone_number::regions()
        .into_iter()
        .filter(|(code, _, _)| settings.allows_region(code))
        .map(|(code, name, calling)| RegionOption {
            label: format!("{name} (+{calling})"),
            code,
        })
        .collect();
    let mut types = Vec::new();
    for phone_type in PhoneType::ALL {
        if !locked_by_org(state, user, phone_type, &settings).await? {
            types.push((
                phone_type.as_str().to_owned(),
                phone_type.label().to_owned(),
            ));
        }
    }
    Ok(Some(PhoneSetupView {
        regions,
        default_region: state.policy.phone.default_region.clone(),
        sms_allowed,
        voice_allowed,
        press_to_approve: state.policy.phone.voice_mode.answered_by_keys(),
        types,
    }))
}

/// Sets a person's phone as an admin or an import does: verified by the
/// organisation, so active at once and shown as "set by your organisation".
pub async fn set_by_organisation(
    state: &Services,
    username: &crate::domain::Username,
    region: &str,
    number: &str,
    phone_type: PhoneType,
    actor: &Actor,
) -> anyhow::Result<Result<PhoneNumber, String>> {
    let Some(user) = users::find_by_username(&state.db, username).await? else {
        return Ok(Err(format!("no user {username}")));
    };
    let number = match PhoneNumber::parse(region, number)
        .and_then(|n| n.check_type(phone_type).map(|()| n))
    {
        Ok(n) => n,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let now = state.clock.now();
    let phone = NewPhone {
        user: user.id,
        name: phone_type.label(),
        phone_type,
        e164: number.e164(),
        international: number.international(),
        region: number.region(),
        set_by_org: true,
        now,
        pending_until: None,
    };
    phones::set_by_organisation(&state.db, phone).await?;
    let detail = format!("{} set to {}", phone_type.label(), number.international());
    let record = AuditRecord {
        actor,
        subject: Some(user.id),
        action: AuditAction::PhoneSetByOrganisation,
        detail: &detail,
        ip: None,
    };
    audit::record(state.db.pool(), now, record).await?;
    Ok(Ok(number))
}
