//! What each result code says: the seed table's description, and the plain words
//! the sign-in history shows.

use super::ResultCode;

impl ResultCode {
    pub fn description(self) -> &'static str {
        match self {
            Self::PINEntered => "PIN Entered",
            Self::NoPINEntered => "No PIN Entered",
            Self::PoundNotPressedAfterEntry => "# Not Pressed After Entry",
            Self::NoPhoneInputTimedOut => "No Phone Input - Timed Out",
            Self::PINExpiredAndNotChanged => "PIN Expired and Not Changed",
            Self::UsedCache => "Used Cache",
            Self::BypassedAuth => "Bypassed Auth",
            Self::UsedCache8 => "Used Cache",
            Self::UsedCache9 => "Used Cache",
            Self::CallDisconnected => "Call Disconnected",
            Self::CallTimedOut => "Call Timed Out",
            Self::InvalidPhoneInput => "Invalid Phone Input",
            Self::GotVoicemail => "Got Voicemail",
            Self::UserIsBlocked => "User is Blocked",
            Self::StatusPending => "Status Pending",
            Self::VoiceprintSucceeded => "Voiceprint Succeeded",
            Self::VoiceprintEnrolled => "Voiceprint Enrolled",
            Self::VoiceprintExpiredAndNotChanged => "Voiceprint Expired and Not Changed",
            Self::TextMessageAuthenticated => "Text Message Authenticated",
            Self::TextMessageSent => "Text Message Sent",
            Self::MobileAppAuthenticated => "Mobile App Authenticated",
            Self::OATHCodePending => "OATH Code Pending",
            Self::OATHCodeVerified => "OATH Code Verified",
            Self::FallbackOATHCodeVerified => "Fallback OATH Code Verified",
            Self::FallbackSecurityQuestionsAnswered => "Fallback Security Questions Answered",
            Self::InvalidPhoneNumber => "Invalid Phone Number",
            Self::AuthAlreadyInProgress => "Auth Already In Progress",
            Self::PhoneUnreachable => "Phone Unreachable",
            Self::InternationalCallsNotAllowed => "International Calls Not Allowed",
            Self::PINModeNotAllowed => "PIN Mode Not Allowed",
            Self::AccountLocked => "Account Locked",
            Self::InvalidMessage => "Invalid Message",
            Self::InvalidPhoneNumberFormat => "Invalid Phone Number Format",
            Self::UserHungUpThePhone => "User Hung Up the Phone",
            Self::InsufficientBalance => "Insufficient Balance",
            Self::PhoneExtensionsNotAllowed => "Phone Extensions Not Allowed",
            Self::InvalidExtension => "Invalid Extension",
            Self::FraudCodeEntered => "Fraud Code Entered",
            Self::RolloverNotAllowed => "Rollover Not Allowed",
            Self::ReturnPINModeNotAllowed => "Return PIN Mode Not Allowed",
            Self::EventConfirmationNotAllowed => "Event Confirmation Not Allowed",
            Self::InvalidEventParameter => "Invalid Event Parameter",
            Self::UnableToPlaceCall => "Unable to Place Call",
            Self::VoiceprintFailed => "Voiceprint Failed",
            Self::VoiceprintModeNotAllowed => "Voiceprint Mode Not Allowed",
            Self::TextMessageCouldNotBeSent => "Text Message Could Not Be Sent",
            Self::NoTextMessageReplyReceived => "No Text Message Reply Received",
            Self::TextMessageOTPIncorrect => "Text Message OTP Incorrect",
            Self::TextMessageOTPPlusPINIncorrect => "Text Message OTP + PIN Incorrect",
            Self::TextMessageModeNotAllowed => "Text Message Mode Not Allowed",
            Self::LocalizationNotAllowed => "Localization Not Allowed",
            Self::UserLicensesExceeded => "User Licenses Exceeded",
            Self::TextMessageUserLicensesExceeded => "Text Message User Licenses Exceeded",
            Self::VoiceprintUserLicensesExceeded => "Voiceprint User Licenses Exceeded",
            Self::MobileAppDenied => "Mobile App Denied",
            Self::MobileAppInvalidPIN => "Mobile App Invalid PIN",
            Self::MobileAppPINNotChanged => "Mobile App PIN Not Changed",
            Self::FraudReported => "Fraud Reported",
            Self::MobileAppNoResponse => "Mobile App No Response",
            Self::MobileAppModeNotAllowed => "Mobile App Mode Not Allowed",
            Self::MobileAppAllDevicesBlocked => "Mobile App All Devices Blocked",
            Self::MobileAppNotificationFailed => "Mobile App Notification Failed",
            Self::MobileAppInvalidResult => "Mobile App Invalid Result",
            Self::OATHCodeIncorrect => "OATH Code Incorrect",
            Self::DuplicateOATHCode => "Duplicate OATH Code",
            Self::OATHCodeOutOfDate => "OATH Code Out Of Date",
            Self::OATHTokenModeNotAllowed => "OATH Token Mode Not Allowed",
            Self::SkippedCall => "Skipped Call",
            Self::UserNotFound => "User Not Found",
            Self::UserDisabled => "User Disabled",
            Self::UserIncomplete => "User Incomplete",
            Self::TrustedIP => "Trusted IP",
            Self::PasswordIncorrect => "Password Incorrect",
            Self::PasswordVerified => "Password Verified",
            Self::TooManyAttemptsFromAddress => "Too Many Attempts From Address",
            Self::SecondStepRemembered => "Second Step Skipped: Remembered Device",
            Self::AppPasswordAccepted => "App Password Accepted",
            Self::AppPasswordIncorrect => "App Password Incorrect",
            Self::AccessPassAccepted => "Temporary Access Pass Accepted",
            Self::AccessPassIncorrect => "Temporary Access Pass Incorrect",
            Self::ViewedByHelpdesk => "Viewed by Helpdesk",
        }
    }

    /// What happened, in the words the sign-in history shows a person. The seed
    /// table's description stays beside it for helpdesk conversations.
    pub fn plain_words(self) -> &'static str {
        match self {
            Self::PasswordVerified
            | Self::SecondStepRemembered
            | Self::OATHCodeVerified
            | Self::FallbackOATHCodeVerified
            | Self::TextMessageAuthenticated
            | Self::MobileAppAuthenticated
            | Self::PINEntered
            | Self::BypassedAuth
            | Self::AppPasswordAccepted
            | Self::AccessPassAccepted => "Success",
            Self::PasswordIncorrect => "Wrong password",
            Self::OATHCodeIncorrect | Self::TextMessageOTPIncorrect => "Wrong code",
            Self::TextMessageOTPPlusPINIncorrect | Self::MobileAppInvalidPIN => "Wrong code or PIN",
            Self::AppPasswordIncorrect => "Wrong app password",
            Self::AccessPassIncorrect => "Wrong or expired temporary access pass",
            Self::ViewedByHelpdesk => "A helpdesk agent viewed your account (read-only)",
            Self::DuplicateOATHCode => "Code already used",
            Self::OATHCodeOutOfDate => "Code out of date: check the phone's clock",
            Self::OATHCodePending | Self::TextMessageSent | Self::StatusPending => {
                "Password correct, waiting for the second step"
            }
            Self::UserIncomplete => "Password correct, sign-in method to be set up",
            Self::PINExpiredAndNotChanged => {
                "Temporary password correct, own password to be chosen"
            }
            Self::FraudReported | Self::FraudCodeEntered => "Blocked: fraud reported",
            Self::AccountLocked => "Blocked: too many wrong attempts",
            Self::TooManyAttemptsFromAddress => "Blocked: too many attempts from this address",
            Self::UserIsBlocked | Self::UserDisabled => "Blocked: account disabled",
            Self::MobileAppDenied => "Denied in the app",
            Self::CallTimedOut
            | Self::NoPhoneInputTimedOut
            | Self::MobileAppNoResponse
            | Self::NoTextMessageReplyReceived => "No answer in time",
            Self::CallDisconnected | Self::UserHungUpThePhone => "Call ended before the answer",
            Self::GotVoicemail => "Call went to voicemail",
            Self::PhoneUnreachable
            | Self::UnableToPlaceCall
            | Self::TextMessageCouldNotBeSent
            | Self::MobileAppNotificationFailed => "Could not reach the phone",
            _ => "Not completed",
        }
    }
}
