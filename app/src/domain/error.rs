//! The one error type server functions return. Every variant carries a fixed,
//! user-facing message; causes stay in the server log under the request id.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    NotSignedIn,
    #[error("You do not have access to this page.")]
    Forbidden,
    #[error("The username or password is incorrect.")]
    InvalidCredentials,
    #[error(
        "This account is locked after too many failed sign-ins. Try again after {until}, or ask your helpdesk."
    )]
    AccountLocked { until: String },
    #[error("This account is blocked. Contact your helpdesk.")]
    AccountBlocked,
    #[error("This account is disabled. Contact your administrator.")]
    AccountDisabled,
    #[error("Too many sign-in attempts from your network. Wait a minute and try again.")]
    TooManyRequests,
    #[error(
        "That code is not right. Check the app shows the account for this portal, and try the current code."
    )]
    CodeIncorrect,
    #[error("That code was already used. Wait for the app to show a new one.")]
    CodeAlreadyUsed,
    #[error(
        "That code has expired. Check the time on your phone is set automatically, then try the current code."
    )]
    CodeOutOfDate,
    #[error("This set-up has expired. Start again to get a new QR code.")]
    EnrolmentExpired,
    #[error("The sign-in took too long. Enter your username and password again.")]
    SignInExpired,
    #[error("For your security, confirm it's you before changing your sign-in methods.")]
    ReauthenticationRequired,
    #[error("You are viewing someone else's account. Changes are turned off in this view.")]
    ReadOnlyView,
    #[error(
        "Your organisation requires a second step at sign-in, so you cannot remove your last method. Add another one first."
    )]
    LastMethodRequired,
    #[error("That method no longer exists. Reload the page.")]
    MethodNotFound,
    #[error("That sign-in is not in your history. Go back to My sign-ins and pick it again.")]
    SignInEventNotFound,
    #[error("Texts and calls are not set up on this portal. Use another method.")]
    PhoneUnavailable,
    #[error("Your organisation does not allow this method. Use another one.")]
    MethodNotAllowed,
    #[error(
        "Too many texts or calls were asked for in the last hour. Wait a while, or use another method."
    )]
    PhoneLimit,
    #[error("We could not reach your phone. Try again or use another method.")]
    PhoneUnreachable,
    #[error("That code is not right. Check the latest text message and try again.")]
    PhoneCodeIncorrect,
    #[error("That code has expired. Send a new code.")]
    PhoneCodeExpired,
    #[error("Too many wrong codes. Start again to get a new code.")]
    PhoneTooManyTries,
    #[error("This code request is over. Start again to get a new code.")]
    PhoneChallengeOver,
    #[error("Wait {seconds} seconds before asking for another code.")]
    ResendTooSoon { seconds: i64 },
    #[error("No more codes can be sent for this attempt. Start again, or use another method.")]
    ResendLimit,
    #[error("Your organisation set this phone number. Ask your helpdesk to change it.")]
    PhoneSetByOrganisation,
    #[error(
        "Calls and texts to you are blocked because a sign-in was reported as fraud. Contact your helpdesk."
    )]
    PhonePromptsBlocked,
    #[error(
        "Notifications to your app are blocked because a sign-in was reported as fraud. Contact your helpdesk."
    )]
    PushPromptsBlocked,
    #[error(
        "Too many notifications were sent in the last 15 minutes. Wait a while, or use another method."
    )]
    PushLimit,
    #[error("You have no app set up for notifications. Use another method.")]
    PushNoDevice,
    #[error("This notification is not open any more. Send another, or use another method.")]
    PushPromptOver,
    #[error("There is nothing here.")]
    NotFound,
    #[error("That trip is not planned any more. Reload the page.")]
    TravelWindowNotFound,
    #[error("That person no longer exists. Go back to People.")]
    PersonNotFound,
    #[error("That report was already decided. Reload the page.")]
    ReportAlreadyDecided,
    #[error("This is the last active administrator. Make someone else an administrator first.")]
    LastAdmin,
    #[error("That import does not exist. Go back to Import.")]
    ImportNotFound,
    #[error("This import has already run or is running. Reload the page.")]
    ImportNotWaiting,
    #[error("The helpdesk cannot act for this person.")]
    NotHelpable,
    #[error("The policy does not let the helpdesk do this. An administrator can.")]
    NotAllowedByPolicy,
    #[error("Verify the caller first: ask them for a code from their app, token or phone.")]
    CallerNotVerified,
    #[error(
        "This set-up link no longer works: it was used, replaced by a newer one, or it expired. Ask your administrator for a new one."
    )]
    SetupLinkOver,
    /// Bad input for one field; `field` is the form field's name.
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error(
        "Something went wrong on our side. Try again; if it keeps happening, contact support and quote reference {request_id}."
    )]
    Internal { request_id: String },
    #[error("The portal could not be reached. Check your connection and try again.")]
    Unreachable,
}

/// Bad input for one form field, as a service refuses it: which field and what is
/// wrong (the page shows it next to the field, through `AppError::Invalid`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field,
            message: message.into(),
        }
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::invalid(error.field, error.message)
    }
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// The message to show next to `field`, if this error concerns it.
    pub fn for_field(&self, field: &str) -> Option<String> {
        match self {
            Self::Invalid { field: f, message } if f == field => Some(message.clone()),
            _ => None,
        }
    }

    /// The HTTP status a non-browser caller sees for this error.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::NotSignedIn | Self::InvalidCredentials => 401,
            Self::Forbidden | Self::AccountBlocked | Self::AccountDisabled | Self::ReadOnlyView => {
                403
            }
            Self::AccountLocked { .. } => 423,
            Self::TooManyRequests => 429,
            Self::Invalid { .. }
            | Self::CodeIncorrect
            | Self::CodeAlreadyUsed
            | Self::CodeOutOfDate
            | Self::EnrolmentExpired
            | Self::LastMethodRequired
            | Self::PhoneUnavailable
            | Self::PhoneUnreachable
            | Self::PhoneCodeIncorrect
            | Self::PhoneCodeExpired
            | Self::PhoneTooManyTries
            | Self::PhoneChallengeOver
            | Self::PushNoDevice
            | Self::PushPromptOver => 400,
            Self::MethodNotAllowed
            | Self::PhoneSetByOrganisation
            | Self::PhonePromptsBlocked
            | Self::PushPromptsBlocked
            | Self::NotHelpable
            | Self::NotAllowedByPolicy => 403,
            Self::PhoneLimit | Self::PushLimit | Self::ResendTooSoon { .. } | Self::ResendLimit => {
                429
            }
            Self::SignInExpired | Self::ReauthenticationRequired => 401,
            Self::MethodNotFound
            | Self::SignInEventNotFound
            | Self::TravelWindowNotFound
            | Self::PersonNotFound
            | Self::ImportNotFound
            | Self::NotFound => 404,
            Self::LastAdmin
            | Self::ReportAlreadyDecided
            | Self::ImportNotWaiting
            | Self::CallerNotVerified => 409,
            Self::SetupLinkOver => 410,
            Self::Internal { .. } => 500,
            Self::Unreachable => 502,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => Self::invalid(
                "form",
                "The form was incomplete. Reload the page and try again.",
            ),
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Deserialization(_) => {
                Self::Unreachable
            }
            _ => Self::Internal {
                request_id: "unknown".to_owned(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_are_found_only_for_their_field() {
        let err = AppError::invalid("username", "Enter a username.");
        assert_eq!(
            err.for_field("username").as_deref(),
            Some("Enter a username.")
        );
        assert_eq!(err.for_field("password"), None);
        assert_eq!(AppError::InvalidCredentials.for_field("username"), None);
    }

    #[test]
    fn an_internal_error_shows_only_its_reference() {
        let text = AppError::Internal {
            request_id: "abc-123".into(),
        }
        .to_string();
        assert!(text.contains("abc-123"));
        assert!(!text.to_lowercase().contains("sql"));
    }
}
