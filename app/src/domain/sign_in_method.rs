//! The ways a person can do the second step, as they pick a default, and the kinds
//! of phone they can register.

crate::text_enum! {
    /// A second-step method a person can make their default. Declared strongest
    /// first: `ALL` is the order methods are offered in when no default applies.
    pub enum SignInMethod {
        /// Approve a notification in the app (comes with the push issue).
        AppNotification = "app_notification",
        /// A code from the authenticator app.
        AppCode = "app_code",
        /// A call to a registered phone.
        PhoneCall = "phone_call",
        /// A code by text message to a mobile phone.
        Sms = "sms",
    }
}

impl SignInMethod {
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

crate::text_enum! {
    /// What a registered method is (the `kind` column of `mfa_methods`).
    pub enum MethodKind {
        /// An authenticator app (TOTP).
        Totp = "totp",
        Phone = "phone",
        /// An app that approves notifications (the privacyIDEA PUSH protocol).
        Push = "push",
    }
}

impl MethodKind {
    pub fn label(self) -> &'static str {
        match self {
            MethodKind::Totp => "Authenticator app",
            MethodKind::Phone => "Phone",
            MethodKind::Push => "Authenticator app with notifications",
        }
    }
}

crate::text_enum! {
    /// What a registered phone is; office and alternate phones take calls only.
    pub enum PhoneType {
        Mobile = "mobile",
        Alternate = "alternate",
        Office = "office",
    }
}

impl PhoneType {
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

crate::text_enum! {
    /// What a sign-in call asks of the person who answers.
    pub enum VoiceMode {
        /// Type the two-digit number the sign-in page shows, then #: proof that the
        /// person sees the sign-in they approve. 0# reports fraud.
        Match = "match",
        /// 1# approves, 0# reports fraud.
        Press = "press",
        /// The call reads a code out to type on the page.
        Code = "code",
    }
}

impl VoiceMode {
    /// Whether the call is answered with keys (rather than reading out a code).
    pub fn answered_by_keys(self) -> bool {
        self != VoiceMode::Code
    }
}

crate::text_enum! {
    /// How a code or prompt reaches a phone.
    pub enum PhoneChannel {
        Sms = "sms",
        Voice = "voice",
    }
}

impl PhoneChannel {
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
