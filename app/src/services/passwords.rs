//! Argon2id hashing with the crate's defaults, always on a blocking thread, and at
//! most a few at once: each takes 19 MiB, so a flood of sign-ins queues here
//! instead of taking the machine's memory.

use anyhow::{Context, anyhow};
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use tokio::sync::Semaphore;
use unicode_normalization::UnicodeNormalization;

/// The outcome of checking a password against a stored hash.
#[derive(Debug, PartialEq, Eq)]
pub enum Verification {
    Mismatch,
    Match { needs_rehash: bool },
}

/// Hashes and verifies passwords. Holds a hash of a random secret so that checking a
/// password for an unknown user costs the same as for a real one.
#[derive(Clone)]
pub struct PasswordHasher {
    dummy_hash: String,
    /// One permit per hash allowed to run at once.
    permits: Arc<Semaphore>,
}

impl PasswordHasher {
    /// Computes the dummy hash; call once at start-up (takes one hash's time).
    /// `max_concurrent` hashes run at once (at least one).
    pub fn new(max_concurrent: usize) -> anyhow::Result<Self> {
        let dummy = SecretString::from(uuid::Uuid::new_v4().to_string());
        Ok(Self {
            dummy_hash: hash_blocking(&dummy)?,
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
        })
    }

    pub async fn hash(&self, password: SecretString) -> anyhow::Result<String> {
        let _permit = self
            .permits
            .acquire()
            .await
            .context("the hashing permits")?;
        tokio::task::spawn_blocking(move || hash_blocking(&password))
            .await
            .context("joining the hashing thread")?
    }

    /// Verifies against `stored`, or against the dummy hash when there is no user,
    /// in which case the answer is always a mismatch.
    pub async fn verify(
        &self,
        password: SecretString,
        stored: Option<String>,
    ) -> anyhow::Result<Verification> {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.dummy_hash.clone());
        let _permit = self
            .permits
            .acquire()
            .await
            .context("the hashing permits")?;
        let outcome = tokio::task::spawn_blocking(move || verify_blocking(&password, &hash))
            .await
            .context("joining the verifying thread")??;
        Ok(if known {
            outcome
        } else {
            Verification::Mismatch
        })
    }
}

/// The same text hashes the same whichever Unicode form a keyboard produced (NFKC).
fn normalised(password: &SecretString) -> SecretString {
    SecretString::from(password.expose_secret().nfkc().collect::<String>())
}

pub fn hash_blocking(password: &SecretString) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(normalised(password).expose_secret().as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| anyhow!("hashing a password: {e}"))
}

fn verify_blocking(password: &SecretString, stored: &str) -> anyhow::Result<Verification> {
    let parsed = PasswordHash::new(stored).map_err(|e| anyhow!("parsing a stored hash: {e}"))?;
    let matches = Argon2::default()
        .verify_password(normalised(password).expose_secret().as_bytes(), &parsed)
        .is_ok();
    Ok(if matches {
        Verification::Match {
            needs_rehash: is_outdated(&parsed),
        }
    } else {
        Verification::Mismatch
    })
}

/// Whether a hash was made with anything but today's algorithm, version and cost.
fn is_outdated(parsed: &PasswordHash<'_>) -> bool {
    let current = Params::default();
    let params_current = Params::try_from(parsed).is_ok_and(|p| {
        p.m_cost() == current.m_cost()
            && p.t_cost() == current.t_cost()
            && p.p_cost() == current.p_cost()
    });
    let algorithm_current = parsed.algorithm == Algorithm::Argon2id.ident();
    let version_current = parsed.version == Some(Version::V0x13.into());
    !(params_current && algorithm_current && version_current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let hash = hash_blocking(&secret("correct horse battery")).unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(
            verify_blocking(&secret("correct horse battery"), &hash).unwrap(),
            Verification::Match {
                needs_rehash: false
            }
        );
        assert_eq!(
            verify_blocking(&secret("wrong horse battery"), &hash).unwrap(),
            Verification::Mismatch
        );
    }

    #[test]
    fn composed_and_decomposed_unicode_are_the_same_password() {
        let hash = hash_blocking(&secret("caf\u{e9} au lait")).unwrap();
        assert!(matches!(
            verify_blocking(&secret("cafe\u{301} au lait"), &hash).unwrap(),
            Verification::Match { .. }
        ));
    }

    #[test]
    fn a_hash_with_weaker_parameters_is_flagged_for_rehash() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8192, 1, 1, None).unwrap(),
        );
        let salt = SaltString::generate(&mut OsRng);
        let hash = weak
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        assert_eq!(
            verify_blocking(&secret("correct horse battery"), &hash).unwrap(),
            Verification::Match { needs_rehash: true }
        );
    }

    #[tokio::test]
    async fn an_unknown_user_never_matches_even_the_dummy_secret() {
        let hasher = PasswordHasher::new(1).unwrap();
        let outcome = hasher
            .verify(secret("anything at all"), None)
            .await
            .unwrap();
        assert_eq!(outcome, Verification::Mismatch);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_run_at_once_than_permitted() {
        let hasher = PasswordHasher::new(2).unwrap();
        let checks = (0..6).map(|_| {
            let hasher = hasher.clone();
            tokio::spawn(async move { hasher.verify(secret("x"), None).await })
        });
        let probe = hasher.clone();
        let watcher = tokio::spawn(async move {
            let mut fewest_free = 2;
            for _ in 0..400 {
                fewest_free = fewest_free.min(probe.permits.available_permits());
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
            fewest_free
        });
        for check in checks.collect::<Vec<_>>() {
            check.await.unwrap().unwrap();
        }
        assert_eq!(watcher.await.unwrap(), 0, "both permits were in use");
        assert_eq!(hasher.permits.available_permits(), 2, "and all came back");
    }
}
