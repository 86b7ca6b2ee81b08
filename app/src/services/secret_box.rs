//! Encryption of secrets at rest (TOTP seeds): XChaCha20-Poly1305 with a random
//! 192-bit nonce per value and the owning row's identity as associated data, so a
//! sealed value copied to another row does not open. Also the keyed hash for
//! remembered-device tokens. The key comes from the configuration and never leaves
//! this module.

use anyhow::anyhow;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use data_encoding::BASE64URL_NOPAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

const VERSION_PREFIX: &str = "v1.";
const NONCE_LEN: usize = 24;

pub struct Keys {
    cipher: XChaCha20Poly1305,
    device_mac_key: Zeroizing<[u8; 32]>,
    app_password_mac_key: Zeroizing<[u8; 32]>,
    phone_code_mac_key: Zeroizing<[u8; 32]>,
    access_pass_mac_key: Zeroizing<[u8; 32]>,
    setup_link_mac_key: Zeroizing<[u8; 32]>,
    push_credential_mac_key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(<redacted>)")
    }
}

impl Keys {
    pub fn from_master(master: &[u8; 32]) -> Self {
        Self {
            cipher: XChaCha20Poly1305::new(master.into()),
            device_mac_key: Zeroizing::new(derive(
                master,
                b"mfa-portal remembered-device token v1",
            )),
            app_password_mac_key: Zeroizing::new(derive(master, b"mfa-portal app password v1")),
            phone_code_mac_key: Zeroizing::new(derive(master, b"mfa-portal phone code v1")),
            access_pass_mac_key: Zeroizing::new(derive(master, b"mfa-portal access pass v1")),
            setup_link_mac_key: Zeroizing::new(derive(master, b"mfa-portal set-up link v1")),
            push_credential_mac_key: Zeroizing::new(derive(
                master,
                b"mfa-portal push enrolment credential v1",
            )),
        }
    }

    /// Seals `plaintext` for the row named by `context` (e.g. "totp:42").
    pub fn seal(&self, plaintext: &[u8], context: &str) -> anyhow::Result<String> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| anyhow!("sealing a secret failed"))?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!(
            "{VERSION_PREFIX}{}",
            BASE64URL_NOPAD.encode(&bytes)
        ))
    }

    pub fn open(&self, sealed: &str, context: &str) -> anyhow::Result<Zeroizing<Vec<u8>>> {
        let encoded = sealed
            .strip_prefix(VERSION_PREFIX)
            .ok_or_else(|| anyhow!("unknown sealed-secret format"))?;
        let bytes = BASE64URL_NOPAD
            .decode(encoded.as_bytes())
            .map_err(|_| anyhow!("sealed secret is not base64"))?;
        if bytes.len() <= NONCE_LEN {
            return Err(anyhow!("sealed secret is too short"));
        }
        let (nonce, body) = bytes.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| anyhow!("a sealed secret did not open (wrong key or tampered row)"))?;
        Ok(Zeroizing::new(plain))
    }

    /// Keyed hash of a remembered-device token: what the database stores, so a
    /// database leak yields no usable cookie.
    pub fn device_token_mac(&self, token: &str) -> String {
        BASE64URL_NOPAD.encode(&derive(&self.device_mac_key[..], token.as_bytes()))
    }
}

impl Keys {
    /// Keyed hash of an app password (already normalised): 140 random bits need no
    /// slow hash, and the key makes a leaked table useless for offline checks.
    pub fn app_password_mac(&self, normalised: &str) -> String {
        BASE64URL_NOPAD.encode(&derive(
            &self.app_password_mac_key[..],
            normalised.as_bytes(),
        ))
    }
}

impl Keys {
    /// Keyed hash of a temporary access pass (already normalised): like app
    /// passwords, random enough for a fast keyed hash, under its own key.
    pub fn access_pass_mac(&self, normalised: &str) -> String {
        BASE64URL_NOPAD.encode(&derive(
            &self.access_pass_mac_key[..],
            normalised.as_bytes(),
        ))
    }
}

impl Keys {
    /// Keyed hash of a phone code bound to its challenge: the same code for another
    /// challenge hashes differently, and a leaked table reveals no code.
    pub fn phone_code_mac(&self, challenge_id: i64, code: &str) -> String {
        let message = format!("{challenge_id}:{code}");
        BASE64URL_NOPAD.encode(&derive(&self.phone_code_mac_key[..], message.as_bytes()))
    }
}

impl Keys {
    /// Keyed hash of a set-up link's token: random enough for a fast keyed hash,
    /// under its own key.
    pub fn setup_link_mac(&self, token: &str) -> String {
        BASE64URL_NOPAD.encode(&derive(&self.setup_link_mac_key[..], token.as_bytes()))
    }
}

impl Keys {
    /// Keyed hash of a push device's enrolment credential (from the QR code), bound
    /// to the device's serial.
    pub fn push_credential_mac(&self, serial: &str, credential: &str) -> String {
        let message = format!("{serial}:{credential}");
        BASE64URL_NOPAD.encode(&derive(
            &self.push_credential_mac_key[..],
            message.as_bytes(),
        ))
    }
}

fn derive(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(byte: u8) -> Keys {
        Keys::from_master(&[byte; 32])
    }

    #[test]
    fn a_sealed_secret_opens_with_its_key_and_context_only() {
        let sealed = keys(1).seal(b"twenty byte secret!!", "totp:7").unwrap();
        assert!(!sealed.contains("twenty"));
        assert_eq!(
            &keys(1).open(&sealed, "totp:7").unwrap()[..],
            b"twenty byte secret!!"
        );
        assert!(keys(2).open(&sealed, "totp:7").is_err(), "another key");
        assert!(keys(1).open(&sealed, "totp:8").is_err(), "another row");
    }

    #[test]
    fn sealing_twice_gives_different_text() {
        let k = keys(1);
        assert_ne!(k.seal(b"same", "c").unwrap(), k.seal(b"same", "c").unwrap());
    }

    #[test]
    fn device_token_macs_are_stable_and_keyed() {
        assert_eq!(keys(1).device_token_mac("t"), keys(1).device_token_mac("t"));
        assert_ne!(keys(1).device_token_mac("t"), keys(2).device_token_mac("t"));
    }
}
