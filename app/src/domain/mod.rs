//! Types both sides share: parsed inputs, roles, result codes, errors and the view
//! models pages render. No I/O lives here.

pub mod audit_action;
pub mod audit_log;
pub mod challenge;
pub mod dashboard;
pub mod directory;
pub mod email;
pub mod error;
pub mod fraud_queue;
pub mod hardware_tokens;
pub mod helpdesk;
pub mod history;
pub mod import;
pub mod method_name;
pub mod otp_code;
#[cfg(feature = "ssr")]
pub mod phone_number;
pub mod policy;
pub mod push;
pub mod result_code;
pub mod role;
pub mod sign_in_method;
pub mod text;
pub mod text_enum;
pub mod username;
pub mod views;

pub use audit_action::AuditAction;
pub use challenge::{ChallengePurpose, ChallengeState};
pub use email::EmailAddress;
pub use error::{AppError, FieldError};
pub use method_name::MethodName;
pub use otp_code::OtpCode;
#[cfg(feature = "ssr")]
pub use phone_number::PhoneNumber;
pub use push::{
    PushActivation, PushApproval, PushChallengeState, PushEnrolmentView, PushPromptView,
    PushPurpose,
};
pub use result_code::ResultCode;
pub use role::{MfaState, Role};
pub use sign_in_method::{MethodKind, PhoneChannel, PhoneType, SignInMethod, VoiceMode};
pub use username::Username;
