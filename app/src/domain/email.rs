//! An e-mail address, checked for shape (RFC 5321 lengths, one `@`, a dotted domain).

use serde::{Deserialize, Serialize};
use std::fmt;

const MAX_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Enter an e-mail address.")]
    Empty,
    #[error("Enter an e-mail address like name@example.com.")]
    Shape,
}

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or(EmailError::Shape)?;
        let local_ok = !local.is_empty()
            && local.len() <= MAX_LOCAL_LEN
            && !local.contains('@')
            && local
                .chars()
                .all(|c| c.is_ascii_graphic() && !"<>()[]\\,;:\"".contains(c));
        let domain_ok = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if trimmed.len() > MAX_LEN || !local_ok || !domain_ok {
            return Err(EmailError::Shape);
        }
        // Domains are case-insensitive; the local part is kept as typed.
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_plain_address_is_accepted_and_its_domain_lower_cased() {
        let email = EmailAddress::parse(" Ada.Lovelace+mfa@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "Ada.Lovelace+mfa@example.com");
    }

    #[test]
    fn addresses_without_a_proper_shape_are_refused() {
        for raw in [
            "ada",
            "ada@",
            "@example.com",
            "ada@localhost",
            "ada@exa mple.com",
            "a@b@example.com",
            "ada@-example.com",
            "ada@example..com",
            "ad a@example.com",
        ] {
            assert_eq!(EmailAddress::parse(raw), Err(EmailError::Shape), "{raw:?}");
        }
        assert_eq!(EmailAddress::parse(""), Err(EmailError::Empty));
    }

    #[test]
    fn an_overlong_local_part_is_refused() {
        let raw = format!("{}@example.com", "a".repeat(65));
        assert_eq!(EmailAddress::parse(&raw), Err(EmailError::Shape));
    }

    proptest! {
        #[test]
        fn parsing_never_panics(raw in ".*") {
            let _ = EmailAddress::parse(&raw);
        }
    }
}
