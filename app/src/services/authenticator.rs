//! Authenticator apps (TOTP): enrolment with a QR code, activation by a first code,
//! and the acceptance rules for codes: the current step and one either side, each
//! step at most once (an atomic claim in the database), and codes from further away
//! told apart as "out of date" (a phone clock off by minutes).

use super::caller::Enroller;
use super::otp::totp::{self, Algorithm, TotpParams};
use super::time_format::utc_minutes;
use crate::domain::views::EnrolmentView;
use crate::domain::{MethodName, OtpCode};
use crate::state::Services;
use crate::store::totp::{self as totp_store, NewTotp, TotpRow};
use crate::store::{MethodId, UserId, hardware_tokens, methods};
use anyhow::{Context, anyhow};
use data_encoding::BASE32_NOPAD;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use rand::RngCore;
use rand::rngs::OsRng;

/// 160 bits, as RFC 4226 recommends.
const SECRET_BYTES: usize = 20;
pub const ENROLMENT_SECS: i64 = 10 * 60;
/// Steps either side of now that count as the current code (RFC 6238 section 5.2).
const WINDOW: i64 = 1;
/// Steps either side checked only to tell "out of date" from "wrong".
const DRIFT_PROBE: i64 = 10;

/// What checking a code found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    Accepted,
    Incorrect,
    AlreadyUsed,
    OutOfDate,
    /// No such method for this user (or not in the state the purpose needs).
    NotFound,
    /// The enrolment's ten minutes are over.
    Expired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Signing in or confirming identity: active methods only.
    Verify,
    /// The first code of a pending enrolment.
    Activate,
}

/// Starts registering an app: a secret, sealed, pending for ten minutes. Only an
/// [`Enroller`] (recent step-up, or registering at sign-in) may.
pub async fn begin(
    state: &Services,
    enroller: &Enroller,
    name: &MethodName,
) -> anyhow::Result<EnrolmentView> {
    let owner = enroller.person();
    let now = state.clock.now();
    let (method_id, secret_base32) =
        new_pending(state, owner.id, name.as_str(), now + ENROLMENT_SECS).await?;
    let uri = otpauth_uri(&state.policy.totp_issuer, &owner.username, &secret_base32);
    Ok(EnrolmentView {
        method_id: method_id.0,
        secret_grouped: group_in_fours(&secret_base32),
        qr_svg: qr_svg(&uri)?,
        otpauth_uri: uri,
        expires: utc_minutes(now + ENROLMENT_SECS),
    })
}

/// A new sealed seed as a pending method of `user` until `pending_until`; the seed
/// in base32 for the one place that shows it.
pub(crate) async fn new_pending(
    state: &Services,
    user: UserId,
    name: &str,
    pending_until: i64,
) -> anyhow::Result<(MethodId, zeroize::Zeroizing<String>)> {
    let mut secret = zeroize::Zeroizing::new([0_u8; SECRET_BYTES]);
    OsRng.fill_bytes(secret.as_mut());
    let params = TotpParams::AUTHENTICATOR_APPS;
    let new = NewTotp {
        user,
        name,
        algorithm: params.algorithm.as_str(),
        digits: i64::from(params.digits),
        period: params.period,
        now: state.clock.now(),
        pending_until,
    };
    let keys = state.keys.clone();
    let method_id = totp_store::insert_pending(&state.db, new, |id| {
        keys.seal(secret.as_ref(), &seal_context(id))
    })
    .await?;
    let secret_base32 = zeroize::Zeroizing::new(BASE32_NOPAD.encode(secret.as_ref()));
    Ok((method_id, secret_base32))
}

/// Checks `code` against the user's method `method_id` and, if accepted, claims its
/// time step so the same code never works twice.
pub async fn check_code(
    state: &Services,
    user: UserId,
    method_id: MethodId,
    code: &OtpCode,
    purpose: Purpose,
) -> anyhow::Result<CodeCheck> {
    let Some(row) = totp_store::find(&state.db, user, method_id).await? else {
        return Ok(CodeCheck::NotFound);
    };
    let now = state.clock.now();
    match purpose {
        Purpose::Verify if !row.active => return Ok(CodeCheck::NotFound),
        Purpose::Activate if row.active => return Ok(CodeCheck::NotFound),
        Purpose::Activate if row.pending_until.is_none_or(|until| until < now) => {
            return Ok(CodeCheck::Expired);
        }
        _ => {}
    }
    let params = params_of(&row)?;
    let secret = state
        .keys
        .open(&row.sealed_secret, &seal_context(row.method_id))?;
    if row.mode == "hotp" {
        return check_hotp(state, &row, &secret, params, code).await;
    }
    let current = params.step_at(now);
    let in_window = totp::matching_step(
        &secret,
        params,
        code.as_str(),
        current - WINDOW..=current + WINDOW,
    );
    let Some(step) = in_window else {
        let probe = (current - DRIFT_PROBE..current - WINDOW)
            .chain(current + WINDOW + 1..=current + DRIFT_PROBE);
        let drifted = totp::matching_step(&secret, params, code.as_str(), probe).is_some();
        return Ok(if drifted {
            CodeCheck::OutOfDate
        } else {
            CodeCheck::Incorrect
        });
    };
    if row.last_used_step.is_some_and(|last| last >= step)
        || !totp_store::claim_step(&state.db, row.method_id, step).await?
    {
        return Ok(CodeCheck::AlreadyUsed);
    }
    Ok(CodeCheck::Accepted)
}

/// Codes an HOTP token may show next: it counts every button press, including
/// presses whose code was never used.
pub const HOTP_LOOK_AHEAD: i64 = 10;
/// How far ahead a code is recognised as the token's, though too far to accept
/// without resynchronising (two consecutive codes; see `hardware_tokens::resync`).
pub const HOTP_RESYNC_WINDOW: i64 = 1_000;

/// An HOTP token's code: accepted within the look-ahead window after the counter,
/// once (the counter moves past it in one statement); "out of date" when it is the
/// token's code further ahead.
async fn check_hotp(
    state: &Services,
    row: &TotpRow,
    secret: &[u8],
    params: TotpParams,
    code: &OtpCode,
) -> anyhow::Result<CodeCheck> {
    let counter = row.counter.unwrap_or(0);
    let window = counter..counter + HOTP_LOOK_AHEAD;
    let Some(matched) = totp::matching_counter(secret, params, code.as_str(), window) else {
        let ahead = counter + HOTP_LOOK_AHEAD..counter + HOTP_RESYNC_WINDOW;
        let behind = (counter - HOTP_LOOK_AHEAD).max(0)..counter;
        return Ok(
            if totp::matching_counter(secret, params, code.as_str(), ahead).is_some() {
                CodeCheck::OutOfDate
            } else if totp::matching_counter(secret, params, code.as_str(), behind).is_some() {
                CodeCheck::AlreadyUsed
            } else {
                CodeCheck::Incorrect
            },
        );
    };
    if hardware_tokens::claim_counter(&state.db, row.method_id, matched).await? {
        Ok(CodeCheck::Accepted)
    } else {
        Ok(CodeCheck::AlreadyUsed)
    }
}

/// Activates a pending enrolment with its first correct code; the owner is told by
/// e-mail and the audit log records it.
pub async fn activate(
    state: &Services,
    enroller: &Enroller,
    method_id: MethodId,
    code: &OtpCode,
    ip: &str,
) -> anyhow::Result<CodeCheck> {
    let owner = enroller.person();
    let check = check_code(state, owner.id, method_id, code, Purpose::Activate).await?;
    if check != CodeCheck::Accepted {
        return Ok(check);
    }
    if !methods::activate(&state.db, owner.id, method_id, state.clock.now()).await? {
        return Ok(CodeCheck::Expired);
    }
    let name = methods::list_active(&state.db, owner.id)
        .await?
        .into_iter()
        .find(|m| m.id == method_id)
        .map(|m| m.name)
        .unwrap_or_default();
    let what = format!("An authenticator app named \"{name}\"");
    super::security::method_added(state, owner, &what, ip).await?;
    Ok(CodeCheck::Accepted)
}

fn params_of(row: &TotpRow) -> anyhow::Result<TotpParams> {
    Ok(TotpParams {
        algorithm: Algorithm::parse(&row.algorithm)
            .ok_or_else(|| anyhow!("unknown algorithm {}", row.algorithm))?,
        digits: u32::try_from(row.digits).context("digits column")?,
        period: row.period,
    })
}

pub(crate) fn seal_context(method_id: MethodId) -> String {
    format!("totp:{method_id}")
}

/// Characters escaped in the label and issuer: everything but letters and digits
/// (the `:` separating issuer and account is added unescaped).
pub(crate) const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The key URI every authenticator app reads, in exactly this shape.
pub fn otpauth_uri(issuer: &str, account: &str, secret_base32: &str) -> String {
    let issuer = utf8_percent_encode(issuer, URI_COMPONENT);
    let account = utf8_percent_encode(account, URI_COMPONENT);
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret_base32}&issuer={issuer}&algorithm=SHA1&digits=6&period=30"
    )
}

pub fn qr_svg(data: &str) -> anyhow::Result<String> {
    let code = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M)
        .context("encoding the QR code")?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}

fn group_in_fours(text: &str) -> String {
    text.as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_uri_has_exactly_the_agreed_shape_with_both_names_encoded() {
        let uri = otpauth_uri("Contoso MFA", "alice@example.com", "JBSWY3DPEHPK3PXP");
        assert_eq!(
            uri,
            "otpauth://totp/Contoso%20MFA:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Contoso%20MFA&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn a_plain_issuer_and_account_are_left_as_they_are() {
        let uri = otpauth_uri("Portal", "demo-user", "ABC");
        assert_eq!(
            uri,
            "otpauth://totp/Portal:demo-user?secret=ABC&issuer=Portal&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn the_secret_is_grouped_for_typing() {
        assert_eq!(group_in_fours("JBSWY3DPEHPK3PXP"), "JBSW Y3DP EHPK 3PXP");
        assert_eq!(group_in_fours("ABCDEF"), "ABCD EF");
    }

    #[test]
    fn the_qr_code_is_an_svg_image() {
        let svg = qr_svg("otpauth://totp/Portal:demo?secret=ABC").unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
