//! The master key for secrets at rest: read from `secret_key_file`, or created there
//! (random, owner-only permissions) on first start. Its value is never logged.

use anyhow::{Context, bail};
use data_encoding::BASE64;
use rand::RngCore;
use rand::rngs::OsRng;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use zeroize::Zeroizing;

pub fn load_or_create(path: &Path) -> anyhow::Result<Zeroizing<[u8; 32]>> {
    if path.exists() {
        return read(path);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| {
            format!("creating {} (config key `secret_key_file`)", dir.display())
        })?;
    }
    let mut key = Zeroizing::new([0_u8; 32]);
    OsRng.fill_bytes(key.as_mut());
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {} (config key `secret_key_file`)", path.display()))?;
    let encoded = Zeroizing::new(BASE64.encode(key.as_ref()));
    file.write_all(encoded.as_bytes())
        .context("writing the secret key")?;
    tracing::info!(path = %path.display(), "created a new secret key for data at rest; back it up with the database");
    Ok(key)
}

fn read(path: &Path) -> anyhow::Result<Zeroizing<[u8; 32]>> {
    let mode = std::fs::metadata(path)
        .context("reading the secret key file's permissions")?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        tracing::warn!(path = %path.display(), "the secret key file is readable by others; chmod 600 it");
    }
    let text =
        Zeroizing::new(std::fs::read_to_string(path).with_context(|| {
            format!("reading {} (config key `secret_key_file`)", path.display())
        })?);
    let bytes = Zeroizing::new(
        BASE64
            .decode(text.trim().as_bytes())
            .ok()
            .unwrap_or_default(),
    );
    if bytes.len() != 32 {
        bail!(
            "config key `secret_key_file`: {} must hold 32 bytes in base64",
            path.display()
        );
    }
    let mut key = Zeroizing::new([0_u8; 32]);
    key.copy_from_slice(&bytes);
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_created_once_private_and_read_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/secret.key");
        let created = load_or_create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(*load_or_create(&path).unwrap(), *created);
    }

    #[test]
    fn a_malformed_key_file_names_the_config_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        std::fs::write(&path, "too short").unwrap();
        let message = load_or_create(&path).unwrap_err().to_string();
        assert!(message.contains("secret_key_file"), "{message}");
    }
}
