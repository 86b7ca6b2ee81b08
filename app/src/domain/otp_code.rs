//! A one-time code as typed: spaces and dashes are ignored (people copy "123 456"),
//! and what remains must be 6 to 8 ASCII digits.

use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtpCode(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OtpCodeError {
    #[error("Enter the code.")]
    Empty,
    #[error("The code has only digits.")]
    NotDigits,
    #[error("The code has 6 digits.")]
    Length,
}

impl OtpCode {
    pub fn parse(raw: &str) -> Result<Self, OtpCodeError> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if compact.is_empty() {
            return Err(OtpCodeError::Empty);
        }
        if !compact.chars().all(|c| c.is_ascii_digit()) {
            return Err(OtpCodeError::NotDigits);
        }
        if !(6..=8).contains(&compact.len()) {
            return Err(OtpCodeError::Length);
        }
        Ok(Self(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Codes are secrets while they are valid: never printed.
impl std::fmt::Debug for OtpCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OtpCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spaces_and_dashes_are_ignored() {
        assert_eq!(OtpCode::parse(" 123 456 ").unwrap().as_str(), "123456");
        assert_eq!(OtpCode::parse("123-456").unwrap().as_str(), "123456");
    }

    #[test]
    fn letters_wrong_lengths_and_nothing_are_refused_with_their_reason() {
        assert_eq!(OtpCode::parse(""), Err(OtpCodeError::Empty));
        assert_eq!(OtpCode::parse("12345a"), Err(OtpCodeError::NotDigits));
        assert_eq!(OtpCode::parse("١٢٣٤٥٦"), Err(OtpCodeError::NotDigits));
        assert_eq!(OtpCode::parse("12345"), Err(OtpCodeError::Length));
        assert_eq!(OtpCode::parse("123456789"), Err(OtpCodeError::Length));
    }

    #[test]
    fn a_code_never_shows_in_debug_output() {
        assert!(!format!("{:?}", OtpCode::parse("123456").unwrap()).contains("123"));
    }

    proptest! {
        #[test]
        fn any_six_digits_parse(code in "[0-9]{6}") {
            let parsed = OtpCode::parse(&code).unwrap();
            prop_assert_eq!(parsed.as_str(), code.as_str());
        }
    }
}
