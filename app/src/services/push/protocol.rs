//! The privacyIDEA PUSH protocol's wire details (version 1, poll only): the texts
//! each side signs, RSASSA-PKCS1-v1_5 with SHA-256 in base32, the key encodings the
//! app reads and sends, and the poll timestamp window. Pure functions, no I/O.

use data_encoding::{BASE32, BASE32_NOPAD, BASE64, BASE64_NOPAD, BASE64URL, BASE64URL_NOPAD};
use rsa::pkcs1::{DecodeRsaPublicKey, EncodeRsaPublicKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::sha2::Sha256;
use rsa::traits::PublicKeyParts;
use rsa::{PrivateKey, PublicKey};

/// The app signs its poll with the current time; older or newer than this is stale.
pub const POLL_WINDOW_SECS: i64 = 60;
/// Device keys shorter than this are refused (the apps make 4096-bit keys).
pub const MIN_DEVICE_KEY_BITS: usize = 2048;
pub const MAX_DEVICE_KEY_BITS: usize = 8192;

/// What the server signs for one challenge as the device will see it. With number
/// matching, `choices` ("43,51,28") is appended and the app offers those numbers.
pub struct ChallengeText<'a> {
    pub nonce: &'a str,
    pub url: &'a str,
    pub serial: &'a str,
    pub question: &'a str,
    pub title: &'a str,
    pub ssl_verify: bool,
    pub choices: Option<&'a str>,
}

impl ChallengeText<'_> {
    pub fn signed_text(&self) -> String {
        let mut text = format!(
            "{}|{}|{}|{}|{}|{}",
            self.nonce,
            self.url,
            self.serial,
            self.question,
            self.title,
            ssl_flag(self.ssl_verify)
        );
        if let Some(choices) = self.choices {
            text.push('|');
            text.push_str(choices);
        }
        text
    }
}

/// `sslverify` as the app reads it and as it appears in signed texts.
pub fn ssl_flag(verify: bool) -> &'static str {
    if verify { "1" } else { "0" }
}

/// What the device signs for its answer: `nonce|serial`, then `|decline` (and the
/// reason it gave) for a refusal, or `|answer` for the number it picked.
pub fn answer_text(
    nonce: &str,
    serial: &str,
    decline: Option<Option<&str>>,
    presence_answer: Option<&str>,
) -> String {
    let mut text = format!("{nonce}|{serial}");
    if let Some(reason) = decline {
        text.push_str("|decline");
        if let Some(reason) = reason {
            text.push('|');
            text.push_str(reason);
        }
    }
    if let Some(answer) = presence_answer {
        text.push('|');
        text.push_str(answer);
    }
    text
}

/// What the device signs for a poll.
pub fn poll_text(serial: &str, timestamp: &str) -> String {
    format!("{serial}|{timestamp}")
}

/// The poll's ISO 8601 time (the app sends UTC ending in `Z`) as Unix seconds, if it
/// is within the window around `now`.
pub fn fresh_timestamp(timestamp: &str, now: i64) -> Option<i64> {
    let parsed = time::OffsetDateTime::parse(
        timestamp.trim(),
        &time::format_description::well_known::Rfc3339,
    )
    .ok()?
    .unix_timestamp();
    ((parsed - now).abs() <= POLL_WINDOW_SECS).then_some(parsed)
}

/// Signs `text` with the portal's key; the signature in base32, as the app reads it.
pub fn sign(key: &PrivateKey, text: &str) -> anyhow::Result<String> {
    let signature = key
        .pkcs1v15_sign::<Sha256>(text.as_bytes())
        .map_err(|e| anyhow::anyhow!("signing a push message: {e}"))?;
    Ok(BASE32.encode(&signature))
}

/// Whether `signature` (base32, padded or not) is the device's over `text`.
pub fn verify(device_key: &PublicKey, text: &str, signature: &str) -> bool {
    let unpadded = signature.trim().trim_end_matches('=').to_ascii_uppercase();
    let Ok(bytes) = BASE32_NOPAD.decode(unpadded.as_bytes()) else {
        return false;
    };
    device_key
        .pkcs1v15_verify::<Sha256>(text.as_bytes(), &bytes)
        .is_ok()
}

/// The device's public key as the app sends it at enrolment: a SubjectPublicKeyInfo
/// in DER, base64 (standard or URL-safe, padded or not; PEM lines are tolerated).
pub fn parse_device_key(sent: &str) -> Option<PublicKey> {
    let body: String = sent
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .flat_map(|line| line.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = [&BASE64, &BASE64_NOPAD, &BASE64URL, &BASE64URL_NOPAD]
        .iter()
        .find_map(|engine| engine.decode(body.as_bytes()).ok())?;
    let key = PublicKey::from_public_key_der(&der)
        .or_else(|_| PublicKey::from_pkcs1_der(&der))
        .ok()?;
    let bits = key.size() * 8;
    (MIN_DEVICE_KEY_BITS..=MAX_DEVICE_KEY_BITS)
        .contains(&bits)
        .then_some(key)
}

/// The portal's public key as the app reads it in the enrolment answer: PKCS#1 DER
/// in standard base64, no PEM header lines.
pub fn server_key_for_app(key: &PublicKey) -> anyhow::Result<String> {
    let der = key
        .to_pkcs1_der()
        .map_err(|e| anyhow::anyhow!("encoding the push server key: {e}"))?;
    Ok(BASE64.encode(der.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs8::EncodePublicKey;
    use std::sync::LazyLock;

    static KEY: LazyLock<PrivateKey> =
        LazyLock::new(|| PrivateKey::new(&mut getrandom::SysRng, 2048).expect("a test key"));

    #[test]
    fn the_challenge_text_has_the_fields_in_the_protocols_order() {
        let text = ChallengeText {
            nonce: "N",
            url: "https://mfa.example/device/push",
            serial: "MFAP0001",
            question: "Sign in?",
            title: "MFA Portal",
            ssl_verify: true,
            choices: None,
        };
        assert_eq!(
            text.signed_text(),
            "N|https://mfa.example/device/push|MFAP0001|Sign in?|MFA Portal|1"
        );
        let matching = ChallengeText {
            ssl_verify: false,
            choices: Some("43,51,28"),
            ..text
        };
        assert!(matching.signed_text().ends_with("|MFA Portal|0|43,51,28"));
    }

    #[test]
    fn answers_append_decline_its_reason_or_the_number_picked() {
        assert_eq!(answer_text("N", "S", None, None), "N|S");
        assert_eq!(answer_text("N", "S", Some(None), None), "N|S|decline");
        assert_eq!(
            answer_text("N", "S", Some(Some("cancelled")), None),
            "N|S|decline|cancelled"
        );
        assert_eq!(answer_text("N", "S", None, Some("43")), "N|S|43");
    }

    #[test]
    fn a_poll_timestamp_counts_within_a_minute_either_side() {
        let now = 1_795_985_600; // 2026-11-29T20:53:20Z
        assert_eq!(
            fresh_timestamp("2026-11-29T20:53:20.123456Z", now),
            Some(now)
        );
        assert!(fresh_timestamp("2026-11-29T20:54:20Z", now).is_some());
        assert!(fresh_timestamp("2026-11-29T20:54:21Z", now).is_none());
        assert!(fresh_timestamp("2026-11-29T20:52:19Z", now).is_none());
        assert!(fresh_timestamp("2026-11-29T21:53:20+01:00", now).is_some());
        assert!(fresh_timestamp("yesterday", now).is_none());
    }

    #[test]
    fn a_signature_verifies_only_for_its_text_and_key() {
        let public = KEY.to_public_key();
        let signature = sign(&KEY, "N|S").unwrap();
        assert!(verify(&public, "N|S", &signature));
        assert!(verify(&public, "N|S", signature.trim_end_matches('=')));
        assert!(!verify(&public, "N|S|decline", &signature));
        assert!(!verify(&public, "N|S", "not base32!"));
    }

    #[test]
    fn device_keys_are_read_in_every_base64_flavour_and_short_keys_are_refused() {
        let der = KEY.to_public_key().to_public_key_der().unwrap();
        let bytes = der.as_bytes();
        for encoded in [
            BASE64.encode(bytes),
            BASE64URL_NOPAD.encode(bytes),
            format!(
                "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----",
                BASE64.encode(bytes)
            ),
        ] {
            assert_eq!(parse_device_key(&encoded), Some(KEY.to_public_key()));
        }
        assert_eq!(parse_device_key("AAAA"), None);
        let small = PrivateKey::new(&mut getrandom::SysRng, 1024).unwrap();
        let small_der = small.to_public_key().to_public_key_der().unwrap();
        assert_eq!(parse_device_key(&BASE64.encode(small_der.as_bytes())), None);
    }

    #[test]
    fn the_server_key_goes_to_the_app_as_pkcs1_der_in_base64() {
        let sent = server_key_for_app(&KEY.to_public_key()).unwrap();
        let der = BASE64.decode(sent.as_bytes()).unwrap();
        assert_eq!(
            PublicKey::from_pkcs1_der(&der).unwrap(),
            KEY.to_public_key()
        );
        assert!(!sent.contains("BEGIN"));
    }
}
