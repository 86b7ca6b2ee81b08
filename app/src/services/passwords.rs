//! Argon2id hashing with the crate's defaults, on a few dedicated threads that each
//! reuse one 19 MiB working memory: a flood of sign-ins queues here instead of taking
//! the machine's memory, and the memory stays bounded afterwards (the allocator keeps
//! freed 19 MiB blocks in whichever thread arena used them; see docs/benchmarks.md).

use anyhow::{Context, anyhow};
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretString};
use std::cell::RefCell;
use std::sync::{Arc, Mutex};
use unicode_normalization::UnicodeNormalization;

/// Stored instead of a hash for an account that has no password yet (an import made
/// it, or an admin who e-mails a set-up link; the link or an admin's password reset
/// gives it one). Never a PHC string, so it matches
/// nothing; checking against it costs what checking a real hash costs.
pub const NO_PASSWORD_YET: &str = "!no-password-yet";

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
    threads: HashingThreads,
}

impl PasswordHasher {
    /// Computes the dummy hash; call once at start-up (takes one hash's time).
    /// `max_concurrent` hashes run at once (at least one), each on its own thread.
    pub fn new(max_concurrent: usize) -> anyhow::Result<Self> {
        let dummy = SecretString::from(uuid::Uuid::new_v4().to_string());
        Ok(Self {
            dummy_hash: hash_blocking(&dummy)?,
            threads: HashingThreads::start(max_concurrent.max(1))?,
        })
    }

    pub async fn hash(&self, password: SecretString) -> anyhow::Result<String> {
        self.threads.run(move || hash_blocking(&password)).await?
    }

    /// Verifies against `stored`, or against the dummy hash when there is no user or
    /// no password yet, in which case the answer is always a mismatch.
    pub async fn verify(
        &self,
        password: SecretString,
        stored: Option<String>,
    ) -> anyhow::Result<Verification> {
        let stored = stored.filter(|hash| hash != NO_PASSWORD_YET);
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.dummy_hash.clone());
        let outcome = self
            .threads
            .run(move || verify_blocking(&password, &hash))
            .await??;
        Ok(if known {
            outcome
        } else {
            Verification::Mismatch
        })
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of threads taking jobs from one queue; they end when the last
/// handle is dropped.
#[derive(Clone)]
struct HashingThreads {
    queue: std::sync::mpsc::Sender<Job>,
}

impl HashingThreads {
    fn start(count: usize) -> anyhow::Result<Self> {
        let (queue, jobs) = std::sync::mpsc::channel::<Job>();
        let jobs = Arc::new(Mutex::new(jobs));
        for n in 0..count {
            let jobs = jobs.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while waiting for the next job.
                        let next = jobs
                            .lock()
                            .map_err(|_| ())
                            .and_then(|q| q.recv().map_err(|_| ()));
                        match next {
                            Ok(job) => job(),
                            Err(()) => break,
                        }
                    }
                })
                .context("starting a hashing thread")?;
        }
        Ok(Self { queue })
    }

    /// Runs `work` on one of the threads once one is free.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        self.queue
            .send(job)
            .map_err(|_| anyhow!("the hashing threads have stopped"))?;
        result.await.context("a hashing thread dropped its job")
    }
}

/// The same text hashes the same whichever Unicode form a keyboard produced (NFKC).
fn normalised(password: &SecretString) -> SecretString {
    SecretString::from(password.expose_secret().nfkc().collect::<String>())
}

thread_local! {
    /// This thread's Argon2 working memory, reused for every hash: after the first,
    /// no hash asks the allocator for 19 MiB again, so the memory a burst of sign-ins
    /// takes stays at one block per hashing thread.
    static WORKING_MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Argon2 of `password` and raw `salt` into `out`, in this thread's working memory.
fn argon2_into(
    argon2: &Argon2<'_>,
    params: &Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> anyhow::Result<()> {
    WORKING_MEMORY.with(|memory| {
        let mut blocks = memory.borrow_mut();
        if blocks.len() < params.block_count() {
            blocks.resize(params.block_count(), Block::default());
        }
        argon2
            .hash_password_into_with_memory(password, salt, out, blocks.as_mut_slice())
            .map_err(|e| anyhow!("computing Argon2: {e}"))
    })
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) with today's parameters.
pub fn hash_blocking(password: &SecretString) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0_u8; 64];
    let salt_bytes = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| anyhow!("decoding a fresh salt: {e}"))?;
    let params = Params::default();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = [0_u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_into(
        &argon2,
        &params,
        normalised(password).expose_secret().as_bytes(),
        salt_bytes,
        &mut out,
    )?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| anyhow!("encoding parameters: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| anyhow!("encoding a hash: {e}"))?),
    };
    Ok(hash.to_string())
}

fn verify_blocking(password: &SecretString, stored: &str) -> anyhow::Result<Verification> {
    let parsed = PasswordHash::new(stored).map_err(|e| anyhow!("parsing a stored hash: {e}"))?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(anyhow!("a stored hash without salt or output"));
    };
    let algorithm =
        Algorithm::try_from(parsed.algorithm).map_err(|e| anyhow!("stored algorithm: {e}"))?;
    let version = match parsed.version {
        Some(v) => Version::try_from(v).map_err(|e| anyhow!("stored version: {e}"))?,
        None => Version::default(),
    };
    let params = Params::try_from(&parsed).map_err(|e| anyhow!("stored parameters: {e}"))?;
    let mut salt_bytes = [0_u8; 64];
    let salt_bytes = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| anyhow!("stored salt: {e}"))?;
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0_u8; expected.len()];
    argon2_into(
        &argon2,
        &params,
        normalised(password).expose_secret().as_bytes(),
        salt_bytes,
        &mut out,
    )?;
    // `Output` compares in constant time.
    let computed = Output::new(&out).map_err(|e| anyhow!("a computed hash: {e}"))?;
    Ok(if computed == expected {
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
    use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};

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
    fn hashes_agree_with_the_argon2_crates_own_hashing_both_ways() {
        let ours = hash_blocking(&secret("correct horse battery")).unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        assert!(
            Argon2::default()
                .verify_password(b"wrong horse battery", &parsed)
                .is_err()
        );
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        assert_eq!(
            verify_blocking(&secret("correct horse battery"), &theirs).unwrap(),
            Verification::Match {
                needs_rehash: false
            }
        );
        assert_eq!(
            verify_blocking(&secret("correct horse batterz"), &theirs).unwrap(),
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
    async fn no_more_hashes_run_at_once_than_there_are_hashing_threads() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let threads = HashingThreads::start(2).unwrap();
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let jobs = (0..8).map(|_| {
            let (running, most) = (running.clone(), most.clone());
            threads.run(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(20));
                running.fetch_sub(1, Ordering::SeqCst);
                std::thread::current().name().map(str::to_owned)
            })
        });
        let names: Vec<Option<String>> = futures_util::future::join_all(jobs)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(most.load(Ordering::SeqCst), 2, "two at once, never more");
        assert!(
            names
                .iter()
                .all(|n| n.as_deref().is_some_and(|n| n.starts_with("argon2-")))
        );
    }
}
