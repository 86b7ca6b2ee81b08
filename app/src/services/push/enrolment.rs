//! Adding a device: the QR code (`otpauth://pipush/…` with a single-use enrolment
//! credential), the app's enrolment step 2 (its public key for ours), and the test
//! prompt whose approval makes the device a way to sign in.

use super::prompts::{self, Proof};
use super::{ENROLMENT_SECS, EnrolRefusal, device, protocol, server_key};
use crate::domain::{
    MethodName, PushActivation, PushChallengeState, PushEnrolmentView, PushPurpose,
};
use crate::services::caller::Enroller;
use crate::services::phones::Requester;
use crate::services::{authenticator, portal_settings, security, time_format};
use crate::state::Services;
use crate::store::push::{self, NewDevice};
use crate::store::{MethodId, methods};
use data_encoding::HEXLOWER;
use percent_encoding::utf8_percent_encode;
use rand::RngCore;
use rand::rngs::OsRng;
use std::net::IpAddr;

/// Starts adding a device: a pending method, and the QR code the app scans. Only
/// an [`Enroller`] (recent step-up, or registering at sign-in) may.
pub async fn begin(
    state: &Services,
    enroller: &Enroller,
    name: &MethodName,
) -> anyhow::Result<PushEnrolmentView> {
    let owner = enroller.person();
    let now = state.clock.now();
    let serial = new_serial();
    let credential = zeroize::Zeroizing::new(random_hex(20));
    let credential_mac = state.keys.push_credential_mac(&serial, &credential);
    let new = NewDevice {
        user: owner.id,
        name: name.as_str(),
        serial: &serial,
        credential_mac: &credential_mac,
        now,
        pending_until: now + ENROLMENT_SECS,
    };
    let method_id = push::insert_pending(&state.db, new).await?;
    let uri = enrolment_uri(state, &owner.username, &serial, &credential);
    Ok(PushEnrolmentView {
        method_id: method_id.0,
        qr_svg: authenticator::qr_svg(&uri)?,
        uri,
        expires: time_format::utc_minutes(now + ENROLMENT_SECS),
    })
}

/// The QR code's text: where to enrol and poll, for how long, and the credential.
pub fn enrolment_uri(state: &Services, account: &str, serial: &str, credential: &str) -> String {
    let (url, ssl_verify) = device::device_url(state);
    let encode = |text: &str| utf8_percent_encode(text, authenticator::URI_COMPONENT).to_string();
    format!(
        "otpauth://pipush/{label}?url={url}&ttl={ttl}&issuer={issuer}&enrollment_credential={credential}\
         &v=1&serial={serial}&sslverify={ssl}&poll_only=True",
        label = encode(account),
        url = encode(&url),
        ttl = ENROLMENT_SECS / 60,
        issuer = encode(&state.policy.totp_issuer),
        ssl = protocol::ssl_flag(ssl_verify),
    )
}

/// Enrolment step 2, as the app posts it.
pub struct AppEnrolment<'a> {
    pub serial: &'a str,
    pub enrollment_credential: &'a str,
    pub pubkey: &'a str,
    /// The portal's web authenticator also asks for a seed for offline codes.
    pub offline_codes: bool,
    /// The app lets the person type the number (the web authenticator).
    pub number_entry: bool,
}

/// What the app gets back: the portal's key, and the offline-code seed if asked.
pub struct Enrolled {
    pub server_key: String,
    pub offline_secret: Option<zeroize::Zeroizing<String>>,
}

/// Stores the app's key if its credential is right, unused and in time, and
/// answers with the portal's public key (PKCS#1 DER in base64, as the app reads it)
/// and, for the web authenticator, a seed for offline codes (a pending
/// authenticator-app method activated with the device).
pub async fn app_enrols(
    state: &Services,
    sent: AppEnrolment<'_>,
) -> anyhow::Result<Result<Enrolled, EnrolRefusal>> {
    let Some(key) = protocol::parse_device_key(sent.pubkey) else {
        return Ok(Err(EnrolRefusal::BadKey));
    };
    let stored = protocol::server_key_for_app(&key)?;
    let credential_mac = state
        .keys
        .push_credential_mac(sent.serial, sent.enrollment_credential.trim());
    let now = state.clock.now();
    // The key is kept in the form we send ours (PKCS#1), which the parser reads too.
    let enrolment = push::Enrolment {
        serial: sent.serial,
        credential_mac: &credential_mac,
        device_key: &stored,
        types_numbers: sent.number_entry,
        now,
    };
    if !push::complete_enrolment(&state.db, enrolment).await? {
        tracing::warn!("push enrolment refused: unknown serial, wrong, used or expired credential");
        return Ok(Err(EnrolRefusal::CredentialRefused));
    }
    let server_key = server_key::load_or_create(state).await?;
    let offline_secret = if sent.offline_codes {
        Some(offline_seed(state, sent.serial).await?)
    } else {
        None
    };
    Ok(Ok(Enrolled {
        server_key: protocol::server_key_for_app(&server_key.to_public_key())?,
        offline_secret,
    }))
}

/// A TOTP seed for the device's offline codes, pending as long as the device is.
async fn offline_seed(
    state: &Services,
    serial: &str,
) -> anyhow::Result<zeroize::Zeroizing<String>> {
    let device = push::find_by_serial(&state.db, serial)
        .await?
        .ok_or_else(|| anyhow::anyhow!("an enrolled push device vanished"))?;
    let name = format!("{} (offline codes)", device.name);
    let name: String = name
        .chars()
        .take(crate::domain::method_name::MAX_CHARS)
        .collect();
    let until = device.pending_until.unwrap_or_else(|| state.clock.now());
    let (offline, secret) = authenticator::new_pending(state, device.user_id, &name, until).await?;
    push::set_offline_method(&state.db, device.method_id, offline).await?;
    Ok(secret)
}

/// Where adding device `method_id` stands, moving it on: once the app enrolled, a
/// test prompt goes to it (again after a refusal); its approval activates the device.
pub async fn activation(
    state: &Services,
    enroller: &Enroller,
    method_id: MethodId,
    ip: IpAddr,
    user_agent: &str,
) -> anyhow::Result<PushActivation> {
    let owner = enroller.person();
    let Some(device) = push::find(&state.db, owner.id, method_id).await? else {
        return Ok(PushActivation::Expired);
    };
    if device.active {
        return Ok(PushActivation::Active);
    }
    let now = state.clock.now();
    if device.pending_until.is_none_or(|until| until < now) {
        return Ok(PushActivation::Expired);
    }
    if device.device_key.is_none() {
        return Ok(PushActivation::WaitingForApp);
    }
    let latest = push::latest_activation(&state.db, owner.id, method_id).await?;
    let previous_refused = match &latest {
        Some(prompt) if prompt.status == PushChallengeState::Open && prompt.expires_at >= now => {
            return Ok(PushActivation::TestPromptSent {
                code: prompt.shown_code.clone(),
                previous_refused: false,
            });
        }
        Some(prompt) if prompt.status == PushChallengeState::Approved => {
            return activate(state, enroller, &device, prompt.id, ip).await;
        }
        Some(_) => true,
        None => false,
    };
    let who = Requester {
        user: owner.id,
        bound_event_id: enroller.event_id(),
        ip,
        user_agent: user_agent.to_owned(),
    };
    let approval = portal_settings::current(state).await?.push_approval;
    let (_, proof, _): (i64, Proof, String) = prompts::create(
        state,
        &who,
        PushPurpose::Activate,
        Some(method_id),
        approval,
    )
    .await?;
    Ok(PushActivation::TestPromptSent {
        code: proof.shown_code,
        previous_refused,
    })
}

/// The approved test prompt, taken once, makes the device a method; the owner is
/// told by e-mail and the audit log records it.
async fn activate(
    state: &Services,
    enroller: &Enroller,
    device: &push::DeviceRow,
    prompt_id: i64,
    ip: IpAddr,
) -> anyhow::Result<PushActivation> {
    let owner = enroller.person();
    let now = state.clock.now();
    if !push::take_approved(&state.db, prompt_id, now).await? {
        // Another check took it at the same moment: it activated the device, or
        // found the enrolment over.
        let now_active = push::find(&state.db, owner.id, device.method_id)
            .await?
            .is_some_and(|d| d.active);
        return Ok(if now_active {
            PushActivation::Active
        } else {
            PushActivation::Expired
        });
    }
    if !methods::activate(&state.db, owner.id, device.method_id, now).await? {
        return Ok(PushActivation::Expired);
    }
    if let Some(offline) = device.offline_method_id {
        methods::activate(&state.db, owner.id, offline, now).await?;
    }
    let what = format!(
        "An authenticator app with notifications named \"{}\"",
        device.name
    );
    security::method_added(state, owner, &what, &ip.to_string()).await?;
    Ok(PushActivation::Active)
}

/// `MFAP` and 12 hex digits: the name the app shows for the token.
fn new_serial() -> String {
    format!("MFAP{}", random_hex(6).to_ascii_uppercase())
}

fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0_u8; bytes];
    OsRng.fill_bytes(&mut buffer);
    HEXLOWER.encode(&buffer)
}
