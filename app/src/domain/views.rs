//! What pages render: plain data assembled on the server, no secrets.

use super::{MfaState, Role};
use serde::{Deserialize, Serialize};

/// The signed-in person as the navigation needs them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerView {
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInSummary {
    /// UTC, formatted for people ("2026-11-22 21:04 UTC").
    pub at: String,
    pub ip: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub display_name: String,
    pub username: String,
    pub email: String,
    pub role: Role,
    pub mfa_state: MfaState,
    /// The latest successful sign-in before the current one.
    pub previous_sign_in: Option<SignInSummary>,
    pub method_count: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedAccountView {
    pub username: String,
    pub display_name: String,
    pub locked_until: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountRow {
    pub label: String,
    pub count: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminSummary {
    pub users_by_role: Vec<CountRow>,
    pub users_by_mfa_state: Vec<CountRow>,
    pub locked_accounts: Vec<LockedAccountView>,
}

/// A registered method as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodView {
    pub id: i64,
    /// "totp" for now; phones and push come later.
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    pub added: String,
    pub last_used: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    pub id: i64,
    pub label: String,
    pub remembered: String,
    pub until: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecuritySummary {
    pub methods: Vec<MethodView>,
    pub devices: Vec<DeviceView>,
    pub mfa_state: MfaState,
    /// Whether changes can be made now without confirming again.
    pub recently_verified: bool,
    pub app_passwords: Vec<AppPasswordView>,
}

/// What the authenticator app needs: shown once per enrolment, never stored in clear.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentView {
    pub method_id: i64,
    /// The base32 secret in groups of four, for typing into an app by hand.
    pub secret_grouped: String,
    pub otpauth_uri: String,
    /// Inline SVG of the QR code, rendered on the server from `otpauth_uri`.
    pub qr_svg: String,
    pub expires: String,
}

/// The second step of sign-in: which methods the person may use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondStepView {
    pub methods: Vec<MethodView>,
    /// 0 when remembering devices is off.
    pub remember_days: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppPasswordView {
    pub id: i64,
    pub name: String,
    pub created: String,
    /// "2026-11-22 21:04 UTC from 192.0.2.7", or `None` if never used.
    pub last_used: Option<String>,
}

/// A new app password: the only time its text leaves the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAppPasswordView {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub password: String,
}
