//! The vocabulary of sign-in outcomes. Codes below 1000 are the result-code table of
//! Azure MFA Server that the product follows (`shared/seeds/002_*.txt`); codes from
//! 1000 up are this project's own, for outcomes that table has no word for. Stored
//! as the number, so an event row reads the same to anyone who knows the table.

mod words;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "i64", try_from = "i64")]
#[repr(i64)]
pub enum ResultCode {
    /// `1` PIN Entered
    PINEntered = 1,
    /// `2` No PIN Entered
    NoPINEntered = 2,
    /// `3` # Not Pressed After Entry
    PoundNotPressedAfterEntry = 3,
    /// `4` No Phone Input - Timed Out
    NoPhoneInputTimedOut = 4,
    /// `5` PIN Expired and Not Changed
    PINExpiredAndNotChanged = 5,
    /// `6` Used Cache
    UsedCache = 6,
    /// `7` Bypassed Auth
    BypassedAuth = 7,
    /// `8` Used Cache
    UsedCache8 = 8,
    /// `9` Used Cache
    UsedCache9 = 9,
    /// `10` Call Disconnected
    CallDisconnected = 10,
    /// `11` Call Timed Out
    CallTimedOut = 11,
    /// `12` Invalid Phone Input
    InvalidPhoneInput = 12,
    /// `13` Got Voicemail
    GotVoicemail = 13,
    /// `14` User is Blocked
    UserIsBlocked = 14,
    /// `15` Status Pending
    StatusPending = 15,
    /// `16` Voiceprint Succeeded
    VoiceprintSucceeded = 16,
    /// `17` Voiceprint Enrolled
    VoiceprintEnrolled = 17,
    /// `18` Voiceprint Expired and Not Changed
    VoiceprintExpiredAndNotChanged = 18,
    /// `19` Text Message Authenticated
    TextMessageAuthenticated = 19,
    /// `20` Text Message Sent
    TextMessageSent = 20,
    /// `21` Mobile App Authenticated
    MobileAppAuthenticated = 21,
    /// `22` OATH Code Pending
    OATHCodePending = 22,
    /// `23` OATH Code Verified
    OATHCodeVerified = 23,
    /// `24` Fallback OATH Code Verified
    FallbackOATHCodeVerified = 24,
    /// `25` Fallback Security Questions Answered
    FallbackSecurityQuestionsAnswered = 25,
    /// `100` Invalid Phone Number
    InvalidPhoneNumber = 100,
    /// `101` Auth Already In Progress
    AuthAlreadyInProgress = 101,
    /// `102` Phone Unreachable
    PhoneUnreachable = 102,
    /// `103` International Calls Not Allowed
    InternationalCallsNotAllowed = 103,
    /// `104` PIN Mode Not Allowed
    PINModeNotAllowed = 104,
    /// `105` Account Locked
    AccountLocked = 105,
    /// `106` Invalid Message
    InvalidMessage = 106,
    /// `107` Invalid Phone Number Format
    InvalidPhoneNumberFormat = 107,
    /// `108` User Hung Up the Phone
    UserHungUpThePhone = 108,
    /// `109` Insufficient Balance
    InsufficientBalance = 109,
    /// `110` Phone Extensions Not Allowed
    PhoneExtensionsNotAllowed = 110,
    /// `111` Invalid Extension
    InvalidExtension = 111,
    /// `112` Fraud Code Entered
    FraudCodeEntered = 112,
    /// `113` Rollover Not Allowed
    RolloverNotAllowed = 113,
    /// `114` Return PIN Mode Not Allowed
    ReturnPINModeNotAllowed = 114,
    /// `115` Event Confirmation Not Allowed
    EventConfirmationNotAllowed = 115,
    /// `116` Invalid Event Parameter
    InvalidEventParameter = 116,
    /// `117` Unable to Place Call
    UnableToPlaceCall = 117,
    /// `118` Voiceprint Failed
    VoiceprintFailed = 118,
    /// `119` Voiceprint Mode Not Allowed
    VoiceprintModeNotAllowed = 119,
    /// `120` Text Message Could Not Be Sent
    TextMessageCouldNotBeSent = 120,
    /// `121` No Text Message Reply Received
    NoTextMessageReplyReceived = 121,
    /// `122` Text Message OTP Incorrect
    TextMessageOTPIncorrect = 122,
    /// `123` Text Message OTP + PIN Incorrect
    TextMessageOTPPlusPINIncorrect = 123,
    /// `124` Text Message Mode Not Allowed
    TextMessageModeNotAllowed = 124,
    /// `125` Localization Not Allowed
    LocalizationNotAllowed = 125,
    /// `126` User Licenses Exceeded
    UserLicensesExceeded = 126,
    /// `127` Text Message User Licenses Exceeded
    TextMessageUserLicensesExceeded = 127,
    /// `128` Voiceprint User Licenses Exceeded
    VoiceprintUserLicensesExceeded = 128,
    /// `129` Mobile App Denied
    MobileAppDenied = 129,
    /// `130` Mobile App Invalid PIN
    MobileAppInvalidPIN = 130,
    /// `131` Mobile App PIN Not Changed
    MobileAppPINNotChanged = 131,
    /// `132` Fraud Reported
    FraudReported = 132,
    /// `133` Mobile App No Response
    MobileAppNoResponse = 133,
    /// `134` Mobile App Mode Not Allowed
    MobileAppModeNotAllowed = 134,
    /// `135` Mobile App All Devices Blocked
    MobileAppAllDevicesBlocked = 135,
    /// `136` Mobile App Notification Failed
    MobileAppNotificationFailed = 136,
    /// `137` Mobile App Invalid Result
    MobileAppInvalidResult = 137,
    /// `138` OATH Code Incorrect
    OATHCodeIncorrect = 138,
    /// `139` Duplicate OATH Code
    DuplicateOATHCode = 139,
    /// `140` OATH Code Out Of Date
    OATHCodeOutOfDate = 140,
    /// `141` OATH Token Mode Not Allowed
    OATHTokenModeNotAllowed = 141,
    /// `-100` Skipped Call
    SkippedCall = -100,
    /// `-101` User Not Found
    UserNotFound = -101,
    /// `-102` User Disabled
    UserDisabled = -102,
    /// `-103` User Incomplete
    UserIncomplete = -103,
    /// `-104` Trusted IP
    TrustedIP = -104,

    // Project-specific codes (>= 1000): outcomes the seed table has no code for.
    /// `1000` Password Incorrect: the password did not match.
    PasswordIncorrect = 1000,
    /// `1001` Password Verified: the password matched and no second factor was due.
    PasswordVerified = 1001,
    /// `1002` Too Many Attempts From Address: the per-IP sign-in limit refused the attempt.
    TooManyAttemptsFromAddress = 1002,
    /// `1003` Second Step Skipped: Remembered Device: the password matched on a browser
    /// the user chose to remember, within the policy's days.
    SecondStepRemembered = 1003,
    /// `1004` App Password Accepted: a non-browser app signed in with an app password.
    AppPasswordAccepted = 1004,
    /// `1005` App Password Incorrect: no live app password of the user matched.
    AppPasswordIncorrect = 1005,
    /// `1006` Temporary Access Pass Accepted: a pass a helpdesk agent or an
    /// administrator issued stood for both steps of the sign-in.
    AccessPassAccepted = 1006,
    /// `1007` Temporary Access Pass Incorrect: no live pass of the user matched.
    AccessPassIncorrect = 1007,
    /// `1008` Viewed by Helpdesk: a helpdesk agent opened a read-only view of the
    /// person's portal (not a sign-in by the person; listed so they see the visit).
    ViewedByHelpdesk = 1008,
}

impl ResultCode {
    pub const ALL: [ResultCode; 81] = [
        Self::PINEntered,
        Self::NoPINEntered,
        Self::PoundNotPressedAfterEntry,
        Self::NoPhoneInputTimedOut,
        Self::PINExpiredAndNotChanged,
        Self::UsedCache,
        Self::BypassedAuth,
        Self::UsedCache8,
        Self::UsedCache9,
        Self::CallDisconnected,
        Self::CallTimedOut,
        Self::InvalidPhoneInput,
        Self::GotVoicemail,
        Self::UserIsBlocked,
        Self::StatusPending,
        Self::VoiceprintSucceeded,
        Self::VoiceprintEnrolled,
        Self::VoiceprintExpiredAndNotChanged,
        Self::TextMessageAuthenticated,
        Self::TextMessageSent,
        Self::MobileAppAuthenticated,
        Self::OATHCodePending,
        Self::OATHCodeVerified,
        Self::FallbackOATHCodeVerified,
        Self::FallbackSecurityQuestionsAnswered,
        Self::InvalidPhoneNumber,
        Self::AuthAlreadyInProgress,
        Self::PhoneUnreachable,
        Self::InternationalCallsNotAllowed,
        Self::PINModeNotAllowed,
        Self::AccountLocked,
        Self::InvalidMessage,
        Self::InvalidPhoneNumberFormat,
        Self::UserHungUpThePhone,
        Self::InsufficientBalance,
        Self::PhoneExtensionsNotAllowed,
        Self::InvalidExtension,
        Self::FraudCodeEntered,
        Self::RolloverNotAllowed,
        Self::ReturnPINModeNotAllowed,
        Self::EventConfirmationNotAllowed,
        Self::InvalidEventParameter,
        Self::UnableToPlaceCall,
        Self::VoiceprintFailed,
        Self::VoiceprintModeNotAllowed,
        Self::TextMessageCouldNotBeSent,
        Self::NoTextMessageReplyReceived,
        Self::TextMessageOTPIncorrect,
        Self::TextMessageOTPPlusPINIncorrect,
        Self::TextMessageModeNotAllowed,
        Self::LocalizationNotAllowed,
        Self::UserLicensesExceeded,
        Self::TextMessageUserLicensesExceeded,
        Self::VoiceprintUserLicensesExceeded,
        Self::MobileAppDenied,
        Self::MobileAppInvalidPIN,
        Self::MobileAppPINNotChanged,
        Self::FraudReported,
        Self::MobileAppNoResponse,
        Self::MobileAppModeNotAllowed,
        Self::MobileAppAllDevicesBlocked,
        Self::MobileAppNotificationFailed,
        Self::MobileAppInvalidResult,
        Self::OATHCodeIncorrect,
        Self::DuplicateOATHCode,
        Self::OATHCodeOutOfDate,
        Self::OATHTokenModeNotAllowed,
        Self::SkippedCall,
        Self::UserNotFound,
        Self::UserDisabled,
        Self::UserIncomplete,
        Self::TrustedIP,
        Self::PasswordIncorrect,
        Self::PasswordVerified,
        Self::TooManyAttemptsFromAddress,
        Self::SecondStepRemembered,
        Self::AppPasswordAccepted,
        Self::AppPasswordIncorrect,
        Self::AccessPassAccepted,
        Self::AccessPassIncorrect,
        Self::ViewedByHelpdesk,
    ];

    pub fn code(self) -> i64 {
        self as i64
    }

    /// Whether an event with this code ends with the person signed in.
    pub fn completes_sign_in(self) -> bool {
        matches!(
            self,
            Self::PasswordVerified
                | Self::BypassedAuth
                | Self::SecondStepRemembered
                | Self::OATHCodeVerified
                | Self::AppPasswordAccepted
                | Self::AccessPassAccepted
        )
    }

    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

impl From<ResultCode> for i64 {
    fn from(value: ResultCode) -> Self {
        value.code()
    }
}

impl TryFrom<i64> for ResultCode {
    type Error = String;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Self::from_code(value).ok_or_else(|| format!("unknown result code {value}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_seed_codes_keep_their_numbers() {
        assert_eq!(ResultCode::UserNotFound.code(), -101);
        assert_eq!(ResultCode::AccountLocked.code(), 105);
        assert_eq!(ResultCode::OATHCodeVerified.code(), 23);
        assert_eq!(ResultCode::UserIsBlocked.description(), "User is Blocked");
    }

    #[test]
    fn every_code_is_unique_and_round_trips() {
        let mut seen = HashSet::new();
        for code in ResultCode::ALL {
            assert!(seen.insert(code.code()), "duplicate {code:?}");
            assert_eq!(ResultCode::from_code(code.code()), Some(code));
        }
        assert_eq!(ResultCode::from_code(4242), None);
    }

    #[test]
    fn every_code_that_signs_in_reads_as_success_and_no_other_does() {
        for code in ResultCode::ALL {
            assert_eq!(
                code.plain_words() == "Success",
                code.completes_sign_in()
                    || matches!(
                        code,
                        ResultCode::FallbackOATHCodeVerified
                            | ResultCode::TextMessageAuthenticated
                            | ResultCode::MobileAppAuthenticated
                            | ResultCode::PINEntered
                    ),
                "{code:?}"
            );
        }
        assert_eq!(ResultCode::OATHCodeIncorrect.plain_words(), "Wrong code");
        assert_eq!(
            ResultCode::FraudReported.plain_words(),
            "Blocked: fraud reported"
        );
    }
}
