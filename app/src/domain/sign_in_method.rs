//! The ways a person can do the second step, as they pick a default, and the kinds
//! of phone they can register.

use serde::{Deserialize, Serialize};

/// A second-step method a person can make their default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInMethod {
    /// Approve a notification in the app (comes with the push issue).
    AppNotification,
    /// A code from the authenticator app.
    AppCode,
    /// A call to a registered phone.
    PhoneCall,
    /// A code by text message to a mobile phone.
    Sms,
}

impl SignInMethod {
    /// Strongest first: the order methods are offered in when no default applies.
    pub const ALL: [SignInMethod; 4] = [
        SignInMethod::AppNotification,
        SignInMethod::AppCode,
        SignInMethod::PhoneCall,
        SignInMethod::Sms,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SignInMethod::AppNotification => "app_notification",
            SignInMethod::AppCode => "app_code",
            SignInMethod::PhoneCall => "phone_call",
            SignInMethod::Sms => "sms",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == raw.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            SignInMethod::AppNotification => "Notification in the app",
            SignInMethod::AppCode => "Code from the app",
            SignInMethod::PhoneCall => "Call my phone",
            SignInMethod::Sms => "Text a code to my phone",
        }
    }

    /// Texts and calls: "restricted" authenticators (NIST SP 800-63B), never the
    /// only kind a policy may allow.
    pub fn is_restricted(self) -> bool {
        self.is_phone()
    }

    /// SMS and calls can be redirected (SIM swap, voicemail), so they are weaker
    /// than app or passkey methods; the pages say so next to them.
    pub fn is_phone(self) -> bool {
        matches!(self, SignInMethod::PhoneCall | SignInMethod::Sms)
    }
}

/// What a registered phone is; office and alternate phones take calls only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhoneType {
    Mobile,
    Alternate,
    Office,
}

impl PhoneType {
    pub const ALL: [PhoneType; 3] = [PhoneType::Mobile, PhoneType::Alternate, PhoneType::Office];

    pub fn as_str(self) -> &'static str {
        match self {
            PhoneType::Mobile => "mobile",
            PhoneType::Alternate => "alternate",
            PhoneType::Office => "office",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            PhoneType::Mobile => "Mobile phone",
            PhoneType::Alternate => "Alternate phone",
            PhoneType::Office => "Office phone",
        }
    }

    pub fn takes_sms(self) -> bool {
        self == PhoneType::Mobile
    }
}

/// What a sign-in call asks of the person who answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VoiceMode {
    /// Type the two-digit number the sign-in page shows, then #: proof that the
    /// person sees the sign-in they approve. 0# reports fraud.
    Match,
    /// 1# approves, 0# reports fraud.
    Press,
    /// The call reads a code out to type on the page.
    Code,
}

impl VoiceMode {
    pub fn as_str(self) -> &'static str {
        match self {
            VoiceMode::Match => "match",
            VoiceMode::Press => "press",
            VoiceMode::Code => "code",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "match" => Some(VoiceMode::Match),
            "press" => Some(VoiceMode::Press),
            "code" => Some(VoiceMode::Code),
            _ => None,
        }
    }

    /// Whether the call is answered with keys (rather than reading out a code).
    pub fn answered_by_keys(self) -> bool {
        self != VoiceMode::Code
    }
}

/// How a code or prompt reaches a phone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhoneChannel {
    Sms,
    Voice,
}

impl PhoneChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneChannel::Sms => "sms",
            PhoneChannel::Voice => "voice",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "sms" => Some(PhoneChannel::Sms),
            "voice" => Some(PhoneChannel::Voice),
            _ => None,
        }
    }

    pub fn method(self) -> SignInMethod {
        match self {
            PhoneChannel::Sms => SignInMethod::Sms,
            PhoneChannel::Voice => SignInMethod::PhoneCall,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_read_back_as_the_same_values() {
        for method in SignInMethod::ALL {
            assert_eq!(SignInMethod::parse(method.as_str()), Some(method));
        }
        for kind in PhoneType::ALL {
            assert_eq!(PhoneType::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(SignInMethod::parse("carrier pigeon"), None);
        assert_eq!(PhoneChannel::parse("voice"), Some(PhoneChannel::Voice));
    }

    #[test]
    fn only_mobile_phones_take_text_messages() {
        assert!(PhoneType::Mobile.takes_sms());
        assert!(!PhoneType::Office.takes_sms());
        assert!(!PhoneType::Alternate.takes_sms());
    }
}
