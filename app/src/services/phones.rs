//! Phones as sign-in methods: adding one (verified by a text or a call before it
//! counts), sending codes and calls for the second step, checking codes. Every send
//! passes the hourly abuse limits and goes through the outbox, sealed.

use super::audit::{self, Actor, AuditRecord};
use super::lockout;
use super::phone_codes::{self, CODE_TTL_SECS, CodeState, PhoneCode, ResendRefusal};
use super::portal_settings::{self, PortalSettings};
use super::sign_in::EventDraft;
use super::time_format::utc_minutes;
use crate::domain::phone_number::{PhoneNumber, PhoneNumberError, mask_e164};
use crate::domain::views::{PhoneChallengeView, PhoneSetupView, PhoneView, RegionOption};
use crate::domain::{
    AppError, OtpCode, PhoneChannel, PhoneType, ResultCode, SignInMethod, VoiceMode,
};
use crate::providers::phone::CallScript;
use crate::state::AppState;
use crate::store::phone_challenges::{self, ChallengeRow, NewChallenge};
use crate::store::phones::{self, NewPhone, PhoneRow};
use crate::store::rate_limits::{self, Hit};
use crate::store::{UserId, methods, outbox, users};
use anyhow::Context;
use std::net::IpAddr;

/// What a code or call is for; a challenge only counts for its own purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Verifying a phone being added.
    Enrol,
    /// The second step of a sign-in.
    SignIn,
    /// Confirming identity before changing methods.
    Confirm,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Enrol => "enrol",
            Purpose::SignIn => "sign_in",
            Purpose::Confirm => "confirm",
        }
    }
}

/// Who asks, and the sign-in (its first event) the challenge is bound to.
#[derive(Clone, Debug)]
pub struct Requester {
    pub user: UserId,
    pub bound_event_id: i64,
    pub ip: IpAddr,
    pub user_agent: String,
}

pub struct NewPhoneInput<'a> {
    pub region: &'a str,
    pub number: &'a str,
    pub phone_type: &'a str,
    pub channel: &'a str,
}

type Outcome<T> = anyhow::Result<Result<T, AppError>>;

fn sealing_context(recipient: &str) -> String {
    format!("outbox-phone:{recipient}")
}

fn refused<T>(err: AppError) -> Outcome<T> {
    Ok(Err(err))
}

/// Adds a phone (pending) and sends the text or places the call that verifies it.
pub async fn add(
    state: &AppState,
    who: &Requester,
    input: NewPhoneInput<'_>,
) -> Outcome<PhoneChallengeView> {
    if !state.policy.phone.available {
        return refused(AppError::PhoneUnavailable);
    }
    let settings = portal_settings::load(&state.db).await?;
    let Some(phone_type) = PhoneType::parse(input.phone_type) else {
        return refused(AppError::invalid("phone_type", "Pick the kind of phone."));
    };
    let Some(channel) = PhoneChannel::parse(input.channel) else {
        return refused(AppError::invalid("channel", "Choose a text or a call."));
    };
    if channel == PhoneChannel::Sms && !phone_type.takes_sms() {
        return refused(AppError::invalid(
            "channel",
            "Office and alternate phones take calls only. Choose \u{201c}Call me\u{201d}.",
        ));
    }
    if !settings.allows(channel.method()) {
        return refused(AppError::MethodNotAllowed);
    }
    let number = match PhoneNumber::parse(input.region, input.number)
        .and_then(|n| n.check_type(phone_type).map(|()| n))
    {
        Ok(n) => n,
        Err(PhoneNumberError::UnknownCountry) => {
            return refused(AppError::invalid(
                "region",
                PhoneNumberError::UnknownCountry.to_string(),
            ));
        }
        Err(e) => return refused(AppError::invalid("number", e.to_string())),
    };
    if !settings.allows_region(number.region()) {
        let name = region_name(number.region());
        return refused(AppError::invalid(
            "number",
            format!("Your organisation does not accept phone numbers from {name}."),
        ));
    }
    if locked_by_org(state, who.user, phone_type, &settings).await? {
        return refused(AppError::PhoneSetByOrganisation);
    }
    let now = state.clock.now();
    let mut tx = state
        .db
        .pool()
        .begin()
        .await
        .context("starting to add a phone")?;
    let new_phone = NewPhone {
        user: who.user,
        name: phone_type.label(),
        phone_type: phone_type.as_str(),
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
    start(state, who, &phone, channel, Purpose::Enrol).await
}

/// Whether the person's phone of this type was set by the organisation and policy
/// says they may not replace it.
async fn locked_by_org(
    state: &AppState,
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
        .any(|p| p.set_by_org && p.phone_type == phone_type.as_str()))
}

/// Sends a code by text, or places a call, for `phone`.
pub async fn start(
    state: &AppState,
    who: &Requester,
    phone: &PhoneRow,
    channel: PhoneChannel,
    purpose: Purpose,
) -> Outcome<PhoneChallengeView> {
    if !state.policy.phone.available {
        return refused(AppError::PhoneUnavailable);
    }
    if purpose != Purpose::Enrol {
        let settings = portal_settings::load(&state.db).await?;
        if !settings.allows(channel.method()) {
            return refused(AppError::MethodNotAllowed);
        }
    }
    let takes_sms = PhoneType::parse(&phone.phone_type).is_some_and(PhoneType::takes_sms);
    if channel == PhoneChannel::Sms && !takes_sms {
        return refused(AppError::MethodNotAllowed);
    }
    if super::fraud::prompts_blocked(state, who.user).await? {
        return refused(AppError::PhonePromptsBlocked);
    }
    let ip = who.ip.to_string();
    let now = state.clock.now();
    let voice_mode = (channel == PhoneChannel::Voice).then_some(state.policy.phone.voice_mode);
    let token = voice_mode
        .is_some_and(VoiceMode::answered_by_keys)
        .then(random_token);
    let match_number = (voice_mode == Some(VoiceMode::Match)).then(random_match_number);
    let mut tx = state
        .db
        .pool()
        .begin()
        .await
        .context("starting a phone challenge")?;
    if let Err(which) = claim_send_limits(state, &mut tx, who, phone).await? {
        tx.rollback().await.context("giving back send limits")?;
        return refuse_over_limit(state, who, phone, channel, which).await;
    }
    let challenge_id = phone_challenges::insert(
        &mut *tx,
        NewChallenge {
            user: who.user,
            method_id: phone.method_id,
            purpose: purpose.as_str(),
            channel: channel.as_str(),
            voice_mode: voice_mode.map(VoiceMode::as_str),
            bound_event_id: who.bound_event_id,
            ip: &ip,
            user_agent: &who.user_agent,
            call_token: token.as_deref(),
            match_number,
            now,
            expires_at: now + CODE_TTL_SECS,
        },
    )
    .await?;
    let message = Outgoing {
        phone,
        channel,
        challenge_id,
        keys_call: voice_mode.zip(token.as_deref()),
    };
    send(state, &mut tx, who, message).await?;
    tx.commit().await.context("committing a phone challenge")?;
    state.phone_outbox.notify_one();
    if purpose == Purpose::SignIn && channel == PhoneChannel::Sms {
        event(
            state,
            &who.ip,
            &who.user_agent,
            who.user,
            ResultCode::TextMessageSent,
        )
        .await?;
    }
    let shown = Shown {
        voice_mode,
        match_number,
        expires_at: now + CODE_TTL_SECS,
    };
    Ok(Ok(challenge_view(
        phone,
        challenge_id,
        channel,
        shown,
        purpose,
    )))
}

/// What the waiting page shows about a call or text.
struct Shown {
    voice_mode: Option<VoiceMode>,
    match_number: Option<i64>,
    expires_at: i64,
}

fn challenge_view(
    phone: &PhoneRow,
    challenge_id: i64,
    channel: PhoneChannel,
    shown_as: Shown,
    purpose: Purpose,
) -> PhoneChallengeView {
    let shown = phone.international.clone();
    let number = if purpose == Purpose::SignIn {
        mask_e164(&phone.e164, &shown)
    } else {
        shown
    };
    PhoneChallengeView {
        challenge_id,
        method_id: phone.method_id,
        channel: channel.as_str().to_owned(),
        number,
        press_to_approve: shown_as.voice_mode.is_some_and(VoiceMode::answered_by_keys),
        match_number: shown_as.match_number.map(|n| format!("{n:02}")),
        expires: utc_minutes(shown_as.expires_at),
    }
}

/// One text or call for a challenge.
struct Outgoing<'a> {
    phone: &'a PhoneRow,
    channel: PhoneChannel,
    challenge_id: i64,
    /// A call answered with keys: its mode and token (no code then).
    keys_call: Option<(VoiceMode, &'a str)>,
}

/// Queues the text or call (a fresh code unless the call is answered with keys),
/// on the caller's transaction.
async fn send(
    state: &AppState,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    who: &Requester,
    message: Outgoing<'_>,
) -> anyhow::Result<()> {
    let Outgoing {
        phone,
        channel,
        challenge_id,
        keys_call,
    } = message;
    let now = state.clock.now();
    let (code_mac, body) = match (channel, keys_call) {
        (PhoneChannel::Voice, Some((mode, token))) => {
            let token = token.to_owned();
            let script = if mode == VoiceMode::Match {
                CallScript::Match { token }
            } else {
                CallScript::Press { token }
            };
            (None, serde_json::to_string(&script)?)
        }
        (PhoneChannel::Voice, None) => {
            let code = PhoneCode::generate();
            let script = CallScript::Code {
                code: code.as_str().to_owned(),
            };
            let mac = state.keys.phone_code_mac(challenge_id, code.as_str());
            (Some(mac), serde_json::to_string(&script)?)
        }
        (PhoneChannel::Sms, _) => {
            let code = PhoneCode::generate();
            let mac = state.keys.phone_code_mac(challenge_id, code.as_str());
            let text = format!(
                "{} is your MFA Portal code. It expires in 10 minutes. Never share it: the portal will never ask you for it by phone.",
                code.as_str()
            );
            (Some(mac), text)
        }
    };
    let sealed = state
        .keys
        .seal(body.as_bytes(), &sealing_context(&phone.e164))?;
    let subject = match channel {
        PhoneChannel::Sms => "Text message",
        PhoneChannel::Voice => "Call",
    };
    let outbox_id = outbox::enqueue(
        &mut **tx,
        outbox::NewMessage {
            channel: channel.as_str(),
            user: Some(who.user),
            recipient: &phone.e164,
            subject,
            body: &sealed,
            now,
        },
    )
    .await?;
    phone_challenges::set_code(&mut **tx, challenge_id, code_mac.as_deref(), outbox_id, now)
        .await?;
    Ok(())
}

/// Opens a queued text's or call's body for the delivery worker.
pub fn open_body(state: &AppState, recipient: &str, sealed: &str) -> anyhow::Result<String> {
    let plain = state.keys.open(sealed, &sealing_context(recipient))?;
    String::from_utf8(plain.to_vec()).context("a queued phone message is not text")
}

/// Claims one send against the hourly limits per number, person, address and
/// country, on the send's own transaction: each claim counts and judges in one
/// upsert and (on PostgreSQL) holds its row until the send commits, so parallel
/// requests cannot all pass. `Err` names the limit reached; the caller rolls back.
async fn claim_send_limits(
    state: &AppState,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    who: &Requester,
    phone: &PhoneRow,
) -> anyhow::Result<Result<(), &'static str>> {
    let limits = &state.policy.phone;
    // Always the same order, so two transactions never wait on each other in a ring.
    let claims = [
        (
            "number",
            format!("phone:number:{}", phone.e164),
            limits.per_number_per_hour,
        ),
        (
            "user",
            format!("phone:user:{}", who.user.0),
            limits.per_user_per_hour,
        ),
        (
            "address",
            format!("phone:ip:{}", who.ip),
            limits.per_ip_per_hour,
        ),
        (
            "country",
            format!("phone:region:{}", phone.region),
            limits.per_region_per_hour,
        ),
    ];
    let now = state.clock.now();
    for (which, bucket, limit) in &claims {
        let hit = Hit {
            bucket,
            limit: *limit,
            window_secs: 3600,
            now,
        };
        if !rate_limits::hit(&mut **tx, hit).await? {
            return Ok(Err(which));
        }
    }
    Ok(Ok(()))
}

/// Records a send refused by an hourly limit (number masked) and refuses it.
async fn refuse_over_limit<T>(
    state: &AppState,
    who: &Requester,
    phone: &PhoneRow,
    channel: PhoneChannel,
    which: &str,
) -> Outcome<T> {
    let now = state.clock.now();
    let ip = who.ip.to_string();
    let detail = format!(
        "{} to {} refused: hourly limit per {which} reached",
        channel.as_str(),
        mask_e164(&phone.e164, &phone.international)
    );
    tracing::warn!(user_id = who.user.0, %ip, limit = which, "phone send refused by abuse limit");
    let record = AuditRecord {
        actor: &Actor::System("phone abuse limits"),
        subject: Some(who.user),
        action: "phone.limit",
        detail: &detail,
        ip: Some(&ip),
    };
    audit::record(state.db.pool(), now, record).await?;
    refused(AppError::PhoneLimit)
}

/// The challenge if it belongs to this requester's sign-in and purpose.
pub async fn bound_challenge(
    state: &AppState,
    who: &Requester,
    challenge_id: i64,
    purpose: Purpose,
) -> anyhow::Result<Option<ChallengeRow>> {
    Ok(phone_challenges::find(&state.db, who.user, challenge_id)
        .await?
        .filter(|c| c.bound_event_id == who.bound_event_id && c.purpose == purpose.as_str()))
}

/// Sends a new code (or calls again) for the same challenge: the old code stops
/// working, the expiry and the failure count stay.
pub async fn resend(
    state: &AppState,
    who: &Requester,
    challenge_id: i64,
    purpose: Purpose,
) -> Outcome<PhoneChallengeView> {
    let Some(challenge) = bound_challenge(state, who, challenge_id, purpose).await? else {
        return refused(AppError::PhoneChallengeOver);
    };
    if super::fraud::prompts_blocked(state, who.user).await? {
        return refused(AppError::PhonePromptsBlocked);
    }
    let now = state.clock.now();
    if phone_codes::resend_allowed(&challenge, now).is_err() {
        return refused(resend_refusal(&challenge, now));
    }
    let Some(phone) = phones::find(&state.db, who.user, challenge.method_id).await? else {
        return refused(AppError::PhoneChallengeOver);
    };
    let channel = PhoneChannel::parse(&challenge.channel).context("challenge channel")?;
    let mut tx = state.db.pool().begin().await.context("starting a resend")?;
    // The challenge's own cap and gap are claimed first, in one conditional update
    // that also holds the challenge until this resend commits.
    let slot =
        phone_challenges::claim_resend(&mut *tx, challenge.id, now, phone_codes::RESEND_RULES)
            .await?;
    if !slot {
        tx.rollback().await.context("giving back a resend")?;
        let current = bound_challenge(state, who, challenge_id, purpose)
            .await?
            .unwrap_or(challenge);
        return refused(resend_refusal(&current, now));
    }
    if let Err(which) = claim_send_limits(state, &mut tx, who, &phone).await? {
        tx.rollback().await.context("giving back send limits")?;
        return refuse_over_limit(state, who, &phone, channel, which).await;
    }
    let voice_mode = challenge.voice_mode.as_deref().and_then(VoiceMode::parse);
    let token = challenge.call_token.clone();
    let message = Outgoing {
        phone: &phone,
        channel,
        challenge_id: challenge.id,
        keys_call: voice_mode.zip(token.as_deref()),
    };
    send(state, &mut tx, who, message).await?;
    tx.commit().await.context("committing a resend")?;
    state.phone_outbox.notify_one();
    let shown = Shown {
        voice_mode,
        match_number: challenge.match_number,
        expires_at: challenge.expires_at,
    };
    Ok(Ok(challenge_view(
        &phone,
        challenge.id,
        channel,
        shown,
        purpose,
    )))
}

fn resend_refusal(challenge: &ChallengeRow, now: i64) -> AppError {
    match phone_codes::resend_allowed(challenge, now) {
        Err(ResendRefusal::TooSoon { wait_secs }) => AppError::ResendTooSoon { seconds: wait_secs },
        Err(ResendRefusal::TooMany) => AppError::ResendLimit,
        Err(ResendRefusal::Closed) => closed_error(challenge, now),
        // Allowed a moment ago, taken by a parallel resend since.
        Ok(()) => AppError::ResendLimit,
    }
}

fn closed_error(challenge: &ChallengeRow, now: i64) -> AppError {
    match phone_codes::code_state(challenge, now) {
        CodeState::Expired => AppError::PhoneCodeExpired,
        CodeState::TooManyFailures => AppError::PhoneTooManyTries,
        _ if challenge.status == "unreachable" => AppError::PhoneUnreachable,
        _ => AppError::PhoneChallengeOver,
    }
}

/// Checks a code from a text (or a code call). On success the challenge is used up
/// and, for a phone being added, the phone becomes a method. Returns the sign-in
/// event recorded (for the second step and confirmations).
pub async fn verify_code(
    state: &AppState,
    who: &Requester,
    challenge_id: i64,
    purpose: Purpose,
    code: &OtpCode,
) -> Outcome<Option<i64>> {
    let Some(challenge) = bound_challenge(state, who, challenge_id, purpose).await? else {
        return refused(AppError::PhoneChallengeOver);
    };
    let Some(user) = users::find_by_id(&state.db, who.user).await? else {
        return refused(AppError::PhoneChallengeOver);
    };
    let now = state.clock.now();
    let counts_as_sign_in = purpose != Purpose::Enrol;
    let channel = PhoneChannel::parse(&challenge.channel).context("challenge channel")?;
    if counts_as_sign_in
        && !portal_settings::load(&state.db)
            .await?
            .allows(channel.method())
    {
        return refused(AppError::MethodNotAllowed);
    }
    // Both limits are claimed before the code is compared: the challenge's five
    // tries first (the tighter one), then the account's (for sign-ins and
    // confirmations), so a burst at one challenge never takes more than five of
    // the account's attempts.
    let claimed =
        phone_challenges::claim_try(&state.db, challenge.id, now, phone_codes::MAX_FAILURES)
            .await?;
    if !claimed {
        let current = bound_challenge(state, who, challenge_id, purpose)
            .await?
            .unwrap_or(challenge);
        return refused(closed_error(&current, now));
    }
    let account_claim = if counts_as_sign_in {
        match lockout::claim(state, user.id).await? {
            Ok(claim) => Some(claim),
            Err(until) => {
                return refused(AppError::AccountLocked {
                    until: utc_minutes(until),
                });
            }
        }
    } else {
        None
    };
    let expected = challenge.code_mac.as_deref().unwrap_or_default();
    let given = state.keys.phone_code_mac(challenge.id, code.as_str());
    let matches: bool = subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), given.as_bytes()).into();
    if !matches || expected.is_empty() {
        if let Some(claim) = account_claim {
            claim.failed(state, who.ip).await?;
            event(
                state,
                &who.ip,
                &who.user_agent,
                who.user,
                ResultCode::TextMessageOTPIncorrect,
            )
            .await?;
        }
        return refused(AppError::PhoneCodeIncorrect);
    }
    let success = if challenge.channel == "sms" {
        ResultCode::TextMessageAuthenticated
    } else {
        ResultCode::PINEntered
    };
    if !phone_challenges::decide(&state.db, challenge.id, "used", success.code(), now).await? {
        if let Some(claim) = account_claim {
            claim.handed_back(state).await?;
        }
        return refused(AppError::PhoneChallengeOver);
    }
    let Some(claim) = account_claim else {
        return activate(state, who, &user, challenge.method_id)
            .await
            .map(|r| r.map(|()| None));
    };
    claim.succeeded(state).await?;
    methods::touch(&state.db, who.user, challenge.method_id, now).await?;
    let event_id = event(state, &who.ip, &who.user_agent, who.user, success).await?;
    Ok(Ok(Some(event_id)))
}

/// Makes a verified phone a method (replacing the person's phone of that type) and
/// tells them by e-mail.
pub async fn activate(
    state: &AppState,
    who: &Requester,
    user: &users::UserRow,
    method_id: i64,
) -> Outcome<()> {
    let now = state.clock.now();
    if !phones::activate_replacing(&state.db, who.user, method_id, now).await? {
        return refused(AppError::EnrolmentExpired);
    }
    let phone = phones::find(&state.db, who.user, method_id)
        .await?
        .context("an activated phone is missing")?;
    let shown = phone.international.clone();
    let what = format!("The phone number {shown}");
    super::security::method_added(
        state,
        user.id,
        &user.username,
        &user.email,
        &what,
        &who.ip.to_string(),
    )
    .await?;
    Ok(Ok(()))
}

pub(crate) async fn event(
    state: &AppState,
    ip: &IpAddr,
    user_agent: &str,
    user: UserId,
    code: ResultCode,
) -> anyhow::Result<i64> {
    let username = users::find_by_id(&state.db, user)
        .await?
        .map(|u| u.username)
        .unwrap_or_default();
    EventDraft::from_parts(&username, *ip, user_agent, state.clock.now())
        .record(state, Some(user), code)
        .await
}

/// The two-digit number a number-matching call asks for: 10 to 99, so it never
/// starts with the 0 that reports fraud.
fn random_match_number() -> i64 {
    use rand::Rng;
    rand::rngs::OsRng.gen_range(10..=99)
}

/// 128 random bits, URL-safe: names a call in webhooks and on the development phone.
fn random_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    data_encoding::BASE64URL_NOPAD.encode(&bytes)
}

fn region_name(region: &str) -> String {
    isocountry::CountryCode::for_alpha2(region)
        .map(|c| c.name().to_owned())
        .unwrap_or_else(|_| region.to_owned())
}

/// The person's phones for Security info.
pub async fn list(state: &AppState, user: UserId) -> anyhow::Result<Vec<PhoneView>> {
    let settings = portal_settings::load(&state.db).await?;
    let rows = phones::list_active(&state.db, user).await?;
    Ok(rows
        .into_iter()
        .map(|p| {
            let phone_type = PhoneType::parse(&p.phone_type);
            PhoneView {
                method_id: p.method_id,
                type_label: phone_type
                    .map(PhoneType::label)
                    .unwrap_or("Phone")
                    .to_owned(),
                number: p.international.clone(),
                takes_sms: phone_type.is_some_and(PhoneType::takes_sms),
                set_by_org: p.set_by_org,
                locked: p.set_by_org && !settings.users_may_change_admin_phone,
                added: utc_minutes(p.created_at),
            }
        })
        .collect())
}

/// What the add-a-phone form offers this person, or `None` when phones are off.
pub async fn setup(state: &AppState, user: UserId) -> anyhow::Result<Option<PhoneSetupView>> {
    let settings = portal_settings::load(&state.db).await?;
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
    state: &AppState,
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
        phone_type: phone_type.as_str(),
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
        action: "phone.set_by_org",
        detail: &detail,
        ip: None,
    };
    audit::record(state.db.pool(), now, record).await?;
    Ok(Ok(number))
}
