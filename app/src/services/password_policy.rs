//! The rules a new password must meet (NIST SP 800-63B): 8 to 128 characters of any
//! script after NFKC normalisation, not a commonly used password, not built from the
//! person's own name. No composition rules.

use secrecy::{ExposeSecret, SecretString};
use std::collections::HashSet;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 128;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .collect()
});

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRuleError {
    #[error("Use at least {MIN_CHARS} characters.")]
    TooShort,
    #[error("Use at most {MAX_CHARS} characters.")]
    TooLong,
    #[error(
        "This password is among the most commonly used ones. Choose something less predictable."
    )]
    Common,
    #[error("Do not base the password on your name or username.")]
    ContainsName,
}

/// A password that met the rules, ready to hash.
pub struct NewPassword(SecretString);

impl NewPassword {
    /// `names` are the account's username and display name.
    pub fn parse(raw: SecretString, names: &[&str]) -> Result<Self, PasswordRuleError> {
        let normalised: String = raw.expose_secret().nfkc().collect();
        let length = normalised.chars().count();
        if length < MIN_CHARS {
            return Err(PasswordRuleError::TooShort);
        }
        if length > MAX_CHARS {
            return Err(PasswordRuleError::TooLong);
        }
        let folded = normalised.to_lowercase();
        if COMMON.contains(folded.as_str()) {
            return Err(PasswordRuleError::Common);
        }
        if is_built_from_names(&folded, names) {
            return Err(PasswordRuleError::ContainsName);
        }
        Ok(Self(SecretString::from(normalised)))
    }

    pub fn into_secret(self) -> SecretString {
        self.0
    }
}

/// A name may appear in a long passphrase, but must not make up the bulk of it:
/// after taking out every name part of 3+ characters, at least 8 must remain.
fn is_built_from_names(folded_password: &str, names: &[&str]) -> bool {
    let mut rest = folded_password.to_owned();
    for name in names {
        let folded_name = name.to_lowercase();
        let parts = folded_name
            .split(|c: char| !c.is_alphanumeric())
            .chain(std::iter::once(folded_name.as_str()))
            .filter(|part| part.chars().count() >= 3);
        for part in parts {
            rest = rest.replace(part, "");
        }
    }
    rest.chars().count() < MIN_CHARS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str, names: &[&str]) -> Result<(), PasswordRuleError> {
        NewPassword::parse(SecretString::from(raw.to_owned()), names).map(|_| ())
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(parse("short", &[]), Err(PasswordRuleError::TooShort));
        assert_eq!(parse("ñandú-ñu", &[]), Ok(()));
        assert_eq!(parse("日本語のパスワード", &[]), Ok(()));
        assert_eq!(
            parse(&"x".repeat(129), &[]),
            Err(PasswordRuleError::TooLong)
        );
        assert_eq!(parse(&"xy".repeat(64), &[]), Ok(()));
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert_eq!(parse("password", &[]), Err(PasswordRuleError::Common));
        assert_eq!(parse("Password1", &[]), Err(PasswordRuleError::Common));
        assert_eq!(parse("qwertyuiop", &[]), Err(PasswordRuleError::Common));
    }

    #[test]
    fn no_composition_rules_apply() {
        assert_eq!(parse("plain lowercase words only", &[]), Ok(()));
    }

    #[test]
    fn passwords_built_from_the_users_name_are_refused() {
        let names = ["alice.smith", "Alice Smith"];
        assert_eq!(
            parse("AliceSmith!", &names),
            Err(PasswordRuleError::ContainsName)
        );
        assert_eq!(
            parse("alice.smith2026", &names),
            Err(PasswordRuleError::ContainsName)
        );
        assert_eq!(parse("alice likes long walks", &names), Ok(()));
    }

    #[test]
    fn width_variants_are_normalised_before_the_checks() {
        // Full-width letters are NFKC-equal to ASCII ones, so this is "password".
        assert_eq!(
            parse("ｐａｓｓｗｏｒｄ", &[]),
            Err(PasswordRuleError::Common)
        );
    }
}
