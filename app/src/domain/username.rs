//! A username: what people type to sign in, normalised to one spelling.

use serde::{Deserialize, Serialize};
use std::fmt;

const MIN_LEN: usize = 3;
const MAX_LEN: usize = 64;

/// Lower-case ASCII letters, digits and `. _ - @`, starting with a letter or digit,
/// 3 to 64 characters. Case is folded so `Alice` and `alice` are one account.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("Enter a username.")]
    Empty,
    #[error("A username has {MIN_LEN} to {MAX_LEN} characters.")]
    Length,
    #[error("A username uses only letters, digits and . _ - @, and starts with a letter or digit.")]
    Characters,
}

impl Username {
    pub fn parse(raw: &str) -> Result<Self, UsernameError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(UsernameError::Empty);
        }
        let len = trimmed.chars().count();
        if !(MIN_LEN..=MAX_LEN).contains(&len) {
            return Err(UsernameError::Length);
        }
        let folded = trimmed.to_ascii_lowercase();
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-@".contains(c);
        let starts_well = folded
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        if !starts_well || !folded.chars().all(allowed) {
            return Err(UsernameError::Characters);
        }
        Ok(Self(folded))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = UsernameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Username> for String {
    fn from(value: Username) -> Self {
        value.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_username_is_trimmed_and_lower_cased() {
        assert_eq!(
            Username::parse("  Alice.Smith ").unwrap().as_str(),
            "alice.smith"
        );
    }

    #[test]
    fn an_upn_style_username_is_accepted() {
        assert!(Username::parse("alice@example.com").is_ok());
    }

    #[test]
    fn empty_short_and_long_usernames_are_refused() {
        assert_eq!(Username::parse("   "), Err(UsernameError::Empty));
        assert_eq!(Username::parse("ab"), Err(UsernameError::Length));
        assert_eq!(Username::parse(&"a".repeat(65)), Err(UsernameError::Length));
    }

    #[test]
    fn spaces_control_characters_and_leading_symbols_are_refused() {
        for raw in ["al ice", "alice\r\nadmin", ".alice", "al<script>", "ålice"] {
            assert_eq!(
                Username::parse(raw),
                Err(UsernameError::Characters),
                "{raw:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn a_parsed_username_parses_again_to_itself(raw in "[A-Za-z0-9][A-Za-z0-9._@-]{2,63}") {
            let once = Username::parse(&raw).unwrap();
            prop_assert_eq!(Username::parse(once.as_str()).unwrap(), once);
        }

        #[test]
        fn parsing_never_panics(raw in ".*") {
            let _ = Username::parse(&raw);
        }
    }
}
