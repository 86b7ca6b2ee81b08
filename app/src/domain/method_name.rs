//! The name a person gives a sign-in method ("Phone", "Work iPad").

use serde::{Deserialize, Serialize};

pub const MAX_CHARS: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodName(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MethodNameError {
    #[error("Give the method a name, like \"Phone\".")]
    Empty,
    #[error("Use at most {MAX_CHARS} characters.")]
    TooLong,
    #[error("Use letters, digits, spaces and punctuation only.")]
    Control,
}

impl MethodName {
    pub fn parse(raw: &str) -> Result<Self, MethodNameError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(MethodNameError::Empty);
        }
        if trimmed.chars().count() > MAX_CHARS {
            return Err(MethodNameError::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(MethodNameError::Control);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(
            MethodName::parse("  Work iPad ").unwrap().as_str(),
            "Work iPad"
        );
        assert_eq!(MethodName::parse(" "), Err(MethodNameError::Empty));
        assert_eq!(
            MethodName::parse(&"x".repeat(65)),
            Err(MethodNameError::TooLong)
        );
        assert_eq!(MethodName::parse("a\nb"), Err(MethodNameError::Control));
        assert!(MethodName::parse("Téléphone d'Émile").is_ok());
    }
}
