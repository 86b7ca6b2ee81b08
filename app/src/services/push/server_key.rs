//! The portal's RSA key for push challenges: made once (4096 bits, as the apps'
//! own keys), sealed in the database like other secrets, shared by every instance.
//! The apps keep its public half from the enrolment answer and check every
//! challenge against it.

use crate::state::Services;
use crate::store::push;
use anyhow::Context;
use rsa::PrivateKey;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};

const KEY_BITS: usize = 4096;
const SEAL_CONTEXT: &str = "push-server-key";

/// The signing key, made and stored on first use. Two instances making one at the
/// same moment both read back the one stored first.
pub async fn load_or_create(state: &Services) -> anyhow::Result<PrivateKey> {
    if let Some((sealed, _)) = push::server_key(&state.db).await? {
        return open(state, &sealed);
    }
    let key = tokio::task::spawn_blocking(|| PrivateKey::new(&mut getrandom::SysRng, KEY_BITS))
        .await
        .context("generating the push server key")?
        .map_err(|e| anyhow::anyhow!("generating the push server key: {e}"))?;
    let der = key
        .to_pkcs1_der()
        .map_err(|e| anyhow::anyhow!("encoding the push server key: {e}"))?;
    let sealed = state.keys.seal(der.as_bytes(), SEAL_CONTEXT)?;
    let public = super::protocol::server_key_for_app(&key.to_public_key())?;
    push::insert_server_key(&state.db, &sealed, &public, state.clock.now()).await?;
    let (stored, _) = push::server_key(&state.db)
        .await?
        .context("the push server key was not stored")?;
    open(state, &stored)
}

fn open(state: &Services, sealed: &str) -> anyhow::Result<PrivateKey> {
    let der = state.keys.open(sealed, SEAL_CONTEXT)?;
    PrivateKey::from_pkcs1_der(&der)
        .map_err(|e| anyhow::anyhow!("reading the push server key: {e}"))
}
