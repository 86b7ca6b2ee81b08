//! Web Push (RFC 8030) to the web authenticator's browser, so a prompt arrives while
//! its page is closed: the message encrypted for the browser's subscription
//! (RFC 8291, content coding `aes128gcm` from RFC 8188, done by `ece-native`), the
//! portal identified to the push service by a VAPID token (RFC 8292, ES256).
//!
//! The endpoint comes from a device, so the portal only posts to push services on
//! the configured list: a subscription cannot make it call anything else.

use data_encoding::{BASE64URL, BASE64URL_NOPAD};
use hkdf::Hkdf;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::DecodePrivateKey;
use p256::{PublicKey, SecretKey};
use rand::RngCore;
use rand::rngs::OsRng;
use reqwest::Url;
use sha2::Sha256;
use std::time::Duration;

/// RFC 8291 sends one record; 4096 octets is what every push service takes.
const RECORD_SIZE: u32 = 4096;
/// The record's AEAD tag (16) and padding delimiter (1).
const RECORD_OVERHEAD: usize = 17;
/// How long a VAPID token is good for (RFC 8292 allows up to 24 hours).
const TOKEN_SECS: i64 = 12 * 60 * 60;

/// The push services a subscription may point at when none are configured: those
/// of Chrome and Edge (FCM), Firefox, Safari and Windows.
pub const DEFAULT_SERVICES: &[&str] = &[
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "web.push.apple.com",
    "*.notify.windows.com",
];

/// A browser's subscription, as `PushManager.subscribe` gives it (keys base64url).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

/// What became of one message.
#[derive(Debug, PartialEq, Eq)]
pub enum Delivery {
    /// The push service took it (201).
    Accepted,
    /// The subscription is gone (404 or 410): forget it.
    Gone,
    /// Anything else; the device still polls.
    Failed(String),
}

/// Why a subscription cannot be used.
#[derive(Debug, PartialEq, Eq)]
pub enum SubscriptionError {
    /// Not an `https` URL of a push service on the list.
    ServiceNotAllowed,
    /// `p256dh` is not a P-256 point or `auth` is not 16 bytes.
    BadKeys,
}

pub struct WebPushSettings {
    /// The VAPID key: a PEM file's text (SEC1 `EC PRIVATE KEY` as `openssl ecparam`
    /// writes it, or PKCS#8) or the 32-byte scalar in base64url.
    pub private_key: zeroize::Zeroizing<String>,
    /// The contact the push service may use: `mailto:` or an `https` URL.
    pub subject: String,
    /// Host names (`*.` for subdomains) reached over https, or exact origins such as
    /// `http://127.0.0.1:4000` for a local push service.
    pub services: Vec<String>,
    pub timeout: Duration,
}

pub struct WebPushSender {
    client: reqwest::Client,
    key: SigningKey,
    public_key: String,
    subject: String,
    services: Vec<String>,
}

impl WebPushSender {
    pub fn new(settings: WebPushSettings) -> anyhow::Result<Self> {
        let secret = read_private_key(&settings.private_key)?;
        let public_key = BASE64URL_NOPAD.encode(public_bytes(&secret.public_key()).as_slice());
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            // A push service answers directly; following a redirect could lead
            // anywhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            client,
            key: SigningKey::from(&secret),
            public_key,
            subject: settings.subject,
            services: settings.services,
        })
    }

    /// The key browsers subscribe with (`applicationServerKey`): the uncompressed
    /// point in base64url.
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// Checks a subscription before it is stored.
    pub fn check(&self, subscription: &Subscription) -> Result<(), SubscriptionError> {
        let url =
            Url::parse(&subscription.endpoint).map_err(|_| SubscriptionError::ServiceNotAllowed)?;
        if !service_allowed(&self.services, &url) {
            return Err(SubscriptionError::ServiceNotAllowed);
        }
        receiver_keys(subscription).map(|_| ())
    }

    /// Posts `payload` to the subscription, to be kept by the push service for
    /// `ttl` (a prompt is worthless once it expired).
    pub async fn send(
        &self,
        subscription: &Subscription,
        payload: &[u8],
        ttl: Duration,
        now: i64,
    ) -> Delivery {
        if self.check(subscription).is_err() {
            return Delivery::Failed("the subscription is not usable".to_owned());
        }
        let Ok(url) = Url::parse(&subscription.endpoint) else {
            return Delivery::Failed("the endpoint is not a URL".to_owned());
        };
        let body = match encrypt_for(subscription, payload) {
            Ok(body) => body,
            Err(err) => return Delivery::Failed(format!("encrypting: {err}")),
        };
        let authorization = match self.authorization(&url, now) {
            Ok(value) => value,
            Err(err) => return Delivery::Failed(format!("signing the VAPID token: {err}")),
        };
        let response = self
            .client
            .post(url)
            .header("TTL", ttl.as_secs().to_string())
            .header("Urgency", "high")
            .header("Content-Encoding", "aes128gcm")
            .header("Content-Type", "application/octet-stream")
            .header("Authorization", authorization)
            .body(body)
            .send()
            .await;
        match response {
            Ok(answer) => match answer.status().as_u16() {
                200..=299 => Delivery::Accepted,
                404 | 410 => Delivery::Gone,
                status => Delivery::Failed(format!("the push service answered {status}")),
            },
            Err(err) => Delivery::Failed(format!("the push service is unreachable: {err}")),
        }
    }

    /// `vapid t=<JWT>, k=<public key>` (RFC 8292 section 3): the token names the push
    /// service's origin, an expiry and the contact, signed with ES256.
    fn authorization(&self, endpoint: &Url, now: i64) -> anyhow::Result<String> {
        let claims = serde_json::json!({
            "aud": endpoint.origin().ascii_serialization(),
            "exp": now + TOKEN_SECS,
            "sub": self.subject,
        });
        let header = BASE64URL_NOPAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let body = BASE64URL_NOPAD.encode(serde_json::to_vec(&claims)?.as_slice());
        let signing_input = format!("{header}.{body}");
        let signature: Signature = self.key.sign(signing_input.as_bytes());
        let token = format!(
            "{signing_input}.{}",
            BASE64URL_NOPAD.encode(signature.to_bytes().as_slice())
        );
        Ok(format!("vapid t={token}, k={}", self.public_key))
    }
}

/// Whether `url` is a push service on the list: an exact origin, or an https URL on
/// a listed host (`*.example.com` for its subdomains) at the default port.
pub fn service_allowed(services: &[String], url: &Url) -> bool {
    let origin = url.origin().ascii_serialization();
    let Some(host) = url.host_str() else {
        return false;
    };
    services.iter().any(|entry| {
        if entry.contains("://") {
            return entry.trim_end_matches('/') == origin;
        }
        if url.scheme() != "https" || url.port().is_some() {
            return false;
        }
        match entry.strip_prefix("*.") {
            Some(domain) => host
                .strip_suffix(domain)
                .is_some_and(|sub| sub.ends_with('.') && sub.len() > 1),
            None => host == entry,
        }
    })
}

fn read_private_key(text: &str) -> anyhow::Result<SecretKey> {
    let text = text.trim();
    if text.starts_with("-----BEGIN EC PRIVATE KEY-----") {
        return SecretKey::from_sec1_pem(text)
            .map_err(|_| anyhow::anyhow!("the VAPID key file holds no P-256 key (SEC1 PEM)"));
    }
    if text.starts_with("-----BEGIN PRIVATE KEY-----") {
        return SecretKey::from_pkcs8_pem(text)
            .map_err(|_| anyhow::anyhow!("the VAPID key file holds no P-256 key (PKCS#8 PEM)"));
    }
    let bytes = decode_base64url(text)
        .ok_or_else(|| anyhow::anyhow!("the VAPID key file is neither PEM nor base64url"))?;
    SecretKey::from_slice(&bytes)
        .map_err(|_| anyhow::anyhow!("the VAPID key file's base64url value is not a P-256 key"))
}

fn decode_base64url(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    BASE64URL_NOPAD
        .decode(text.trim_end_matches('=').as_bytes())
        .ok()
        .or_else(|| BASE64URL.decode(text.as_bytes()).ok())
}

fn public_bytes(key: &PublicKey) -> Vec<u8> {
    key.as_affine().to_encoded_point(false).as_bytes().to_vec()
}

/// The browser's key and authentication secret.
fn receiver_keys(subscription: &Subscription) -> Result<(PublicKey, [u8; 16]), SubscriptionError> {
    let point = decode_base64url(&subscription.p256dh).ok_or(SubscriptionError::BadKeys)?;
    let key = PublicKey::from_sec1_bytes(&point).map_err(|_| SubscriptionError::BadKeys)?;
    let auth = decode_base64url(&subscription.auth)
        .and_then(|bytes| <[u8; 16]>::try_from(bytes.as_slice()).ok())
        .ok_or(SubscriptionError::BadKeys)?;
    Ok((key, auth))
}

fn encrypt_for(subscription: &Subscription, payload: &[u8]) -> anyhow::Result<Vec<u8>> {
    let (receiver, auth) =
        receiver_keys(subscription).map_err(|_| anyhow::anyhow!("unusable subscription keys"))?;
    let mut salt = [0_u8; 16];
    OsRng.fill_bytes(&mut salt);
    let sender = SecretKey::random(&mut OsRng);
    encrypt(payload, &receiver, &auth, &sender, salt)
}

/// RFC 8291 section 3: a key shared by ECDH between a one-time sender key and the
/// browser's, mixed with the browser's secret (`auth`) into the input keying
/// material of one `aes128gcm` record; the sender's public key is the record's key
/// id, so the browser can derive the same.
pub fn encrypt(
    payload: &[u8],
    receiver: &PublicKey,
    auth: &[u8; 16],
    sender: &SecretKey,
    salt: [u8; 16],
) -> anyhow::Result<Vec<u8>> {
    if payload.len() + RECORD_OVERHEAD > RECORD_SIZE as usize {
        anyhow::bail!(
            "a push message holds at most {} bytes",
            RECORD_SIZE as usize - RECORD_OVERHEAD
        );
    }
    let sender_public = public_bytes(&sender.public_key());
    let shared = p256::ecdh::diffie_hellman(sender.to_nonzero_scalar(), receiver.as_affine());
    let mut info = b"WebPush: info\0".to_vec();
    info.extend_from_slice(&public_bytes(receiver));
    info.extend_from_slice(&sender_public);
    let mut ikm = zeroize::Zeroizing::new([0_u8; 32]);
    Hkdf::<Sha256>::new(Some(auth), shared.raw_secret_bytes().as_slice())
        .expand(&info, ikm.as_mut_slice())
        .map_err(|_| anyhow::anyhow!("deriving the push message key"))?;
    ece_native::encrypt(
        ikm.as_slice(),
        salt,
        sender_public,
        std::iter::once(payload.to_vec()),
        RECORD_SIZE,
    )
    .map_err(|e| anyhow::anyhow!("encrypting the push message: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8291 section 5, the worked example (the values are the RFC's).
    mod rfc8291 {
        pub const PLAINTEXT: &[u8] = b"When I grow up, I want to be a watermelon";
        pub const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
        pub const RECEIVER_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
        pub const RECEIVER_PUBLIC: &str = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
        pub const SENDER_PRIVATE: &str = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
        pub const SALT: &str = "DGv6ra1nlYgDCS1FRnbzlw";
        pub const MESSAGE: &str = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";
    }

    fn bytes(text: &str) -> Vec<u8> {
        decode_base64url(text).expect("base64url test data")
    }

    fn rfc_auth() -> [u8; 16] {
        bytes(rfc8291::AUTH).try_into().expect("16 bytes")
    }

    #[test]
    fn encryption_gives_the_rfc_8291_example_message_byte_for_byte() {
        let receiver = PublicKey::from_sec1_bytes(&bytes(rfc8291::RECEIVER_PUBLIC)).unwrap();
        let sender = SecretKey::from_slice(&bytes(rfc8291::SENDER_PRIVATE)).unwrap();
        let salt: [u8; 16] = bytes(rfc8291::SALT).try_into().unwrap();
        let message = encrypt(rfc8291::PLAINTEXT, &receiver, &rfc_auth(), &sender, salt).unwrap();
        assert_eq!(message, bytes(rfc8291::MESSAGE));
    }

    #[test]
    fn the_browser_reads_what_we_send_with_its_private_key() {
        // Decrypted by an implementation that is not ours (the browser's side).
        let receiver = SecretKey::from_slice(&bytes(rfc8291::RECEIVER_PRIVATE)).unwrap();
        let subscription = Subscription {
            endpoint: "https://fcm.googleapis.com/fcm/send/abc".to_owned(),
            p256dh: rfc8291::RECEIVER_PUBLIC.to_owned(),
            auth: rfc8291::AUTH.to_owned(),
        };
        let sent = encrypt_for(&subscription, b"{\"title\":\"Sign-in request\"}").unwrap();
        let auth = web_push_native::Auth::clone_from_slice(&rfc_auth());
        let read = web_push_native::decrypt(sent, &receiver, &auth).unwrap();
        assert_eq!(read, b"{\"title\":\"Sign-in request\"}");
        let rfc = web_push_native::decrypt(bytes(rfc8291::MESSAGE), &receiver, &auth).unwrap();
        assert_eq!(rfc, rfc8291::PLAINTEXT);
    }

    #[test]
    fn only_listed_push_services_are_posted_to() {
        let services: Vec<String> = DEFAULT_SERVICES
            .iter()
            .map(|s| (*s).to_owned())
            .chain(["http://127.0.0.1:4000".to_owned()])
            .collect();
        let allowed = |url: &str| service_allowed(&services, &Url::parse(url).unwrap());
        assert!(allowed("https://fcm.googleapis.com/fcm/send/x"));
        assert!(allowed("https://db5p.notify.windows.com/w/?token=x"));
        assert!(allowed("http://127.0.0.1:4000/push/1"));
        assert!(!allowed("http://fcm.googleapis.com/fcm/send/x"));
        assert!(!allowed("https://fcm.googleapis.com:8443/x"));
        assert!(!allowed("https://notify.windows.com/x"));
        assert!(!allowed("https://evilnotify.windows.com.example/x"));
        assert!(!allowed("https://fcm.googleapis.com.evil.example/x"));
        assert!(!allowed("http://127.0.0.1:4001/push/1"));
        assert!(!allowed("https://10.0.0.1/x"));
    }

    #[test]
    fn the_vapid_token_names_the_push_services_origin_and_verifies_with_our_key() {
        use p256::ecdsa::VerifyingKey;
        use p256::ecdsa::signature::Verifier;
        let sender = WebPushSender::new(WebPushSettings {
            private_key: zeroize::Zeroizing::new(rfc8291::SENDER_PRIVATE.to_owned()),
            subject: "mailto:security@example.com".to_owned(),
            services: vec!["http://127.0.0.1:4000".to_owned()],
            timeout: Duration::from_secs(5),
        })
        .unwrap();
        let url = Url::parse("http://127.0.0.1:4000/push/1").unwrap();
        let header = sender.authorization(&url, 1_800_000_000).unwrap();
        let (token, key) = header
            .strip_prefix("vapid t=")
            .and_then(|rest| rest.split_once(", k="))
            .unwrap();
        assert_eq!(key, sender.public_key());
        let (signing_input, signature) = token.rsplit_once('.').unwrap();
        let verifying = VerifyingKey::from_sec1_bytes(&bytes(key)).unwrap();
        let signature = Signature::from_slice(&bytes(signature)).unwrap();
        verifying
            .verify(signing_input.as_bytes(), &signature)
            .unwrap();
        let claims = signing_input.split('.').nth(1).unwrap();
        let claims: serde_json::Value = serde_json::from_slice(&bytes(claims)).unwrap();
        assert_eq!(claims["aud"], "http://127.0.0.1:4000");
        assert_eq!(claims["exp"], 1_800_000_000 + TOKEN_SECS);
        assert_eq!(claims["sub"], "mailto:security@example.com");
    }

    #[test]
    fn the_key_file_may_be_pem_or_base64url() {
        let key = SecretKey::from_slice(&bytes(rfc8291::SENDER_PRIVATE)).unwrap();
        let sec1 = key.to_sec1_pem(Default::default()).unwrap();
        assert_eq!(read_private_key(&sec1).unwrap(), key);
        assert_eq!(read_private_key(rfc8291::SENDER_PRIVATE).unwrap(), key);
        assert!(read_private_key("not a key").is_err());
    }
}
