//! What pages render: plain data assembled on the server, no secrets.

use super::{MfaState, Role};
use serde::{Deserialize, Serialize};

/// The signed-in person as the navigation needs them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerView {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Set while a helpdesk agent views this person's portal (the banner).
    pub viewing: Option<ViewingView>,
}

/// What the "view as" banner says: whose portal, why, until when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewingView {
    pub subject_id: i64,
    pub reason: String,
    /// UTC minutes.
    pub until: String,
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
    /// When failed attempts locked the account, if that was after the person's
    /// previous successful sign-in.
    pub locked_since_last_visit: Option<String>,
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
    pub kind: super::MethodKind,
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

/// A browser where the person is signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// Browser and system in words, e.g. "Firefox on Windows".
    pub device: String,
    pub ip: String,
    pub started: String,
    pub last_seen: String,
    pub this_browser: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecuritySummary {
    /// Authenticator apps that show codes.
    pub methods: Vec<MethodView>,
    /// Authenticator apps that approve notifications.
    pub push_devices: Vec<MethodView>,
    pub devices: Vec<DeviceView>,
    /// Where the person is signed in, this browser first.
    pub sessions: Vec<SessionView>,
    pub mfa_state: MfaState,
    /// Whether changes can be made now without confirming again.
    pub recently_verified: bool,
    pub app_passwords: Vec<AppPasswordView>,
    pub phones: Vec<PhoneView>,
    /// `None` when texts and calls are not available or not allowed.
    pub phone_setup: Option<PhoneSetupView>,
    pub default_method: DefaultMethodView,
}

/// A registered phone as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneView {
    pub method_id: i64,
    pub type_label: String,
    /// International format, `+31 6 12345678`.
    pub number: String,
    pub takes_sms: bool,
    /// Set by an admin or an import ("set by your organisation").
    pub set_by_org: bool,
    /// Whether the person may remove or replace it.
    pub locked: bool,
    pub added: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionOption {
    pub code: String,
    /// `Netherlands (+31)`
    pub label: String,
}

/// What the add-a-phone form offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneSetupView {
    pub regions: Vec<RegionOption>,
    pub default_region: String,
    pub sms_allowed: bool,
    pub voice_allowed: bool,
    /// Calls are answered with keys rather than reading out a code.
    pub press_to_approve: bool,
    /// Phone types the person may add (a type set by the organisation may be locked).
    pub types: Vec<(String, String)>,
}

/// A text or call under way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneChallengeView {
    pub challenge_id: i64,
    /// The phone being verified (`method_id`), for "send again".
    pub method_id: i64,
    pub channel: super::PhoneChannel,
    /// The number as the person may see it here (masked before sign-in completes).
    pub number: String,
    /// A call answered with keys: wait for the answer instead of typing a code.
    pub press_to_approve: bool,
    /// The number to type on the phone's keypad (number-matching calls).
    pub match_number: Option<String>,
    pub expires: String,
}

/// Where a text or call stands, for the page that waits on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChallengeStatus {
    Waiting,
    Approved,
    Denied,
    FraudReported,
    Unreachable,
    Expired,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodChoice {
    /// `SignInMethod::as_str`
    pub value: String,
    pub label: String,
    /// SMS and calls: shown with a note that they are weaker than app methods.
    pub weaker: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TravelWindowView {
    pub id: i64,
    /// First and last day, UTC, `2026-12-01`.
    pub from: String,
    pub to: String,
    pub method: String,
    pub note: String,
    /// In effect now (else upcoming).
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefaultMethodView {
    pub choices: Vec<MethodChoice>,
    /// The stored default (`SignInMethod::as_str`), if chosen.
    pub chosen: Option<String>,
    /// The label of what sign-in starts with now.
    pub effective: Option<String>,
    /// Set while a travel window is in effect: when it ends.
    pub effective_until: Option<String>,
    pub travel_windows: Vec<TravelWindowView>,
}

/// A phone offered at the second step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondStepPhone {
    pub method_id: i64,
    /// `+31 ••••••• 78`
    pub masked: String,
    pub sms: bool,
    pub call: bool,
}

crate::text_enum! {
    /// What the development phone received.
    pub enum DevMessageKind {
        Sms = "sms",
        Call = "call",
    }
}

/// A message on the development phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevPhoneMessageView {
    pub id: i64,
    pub kind: DevMessageKind,
    pub to: String,
    pub body: String,
    pub at: String,
    /// A press-# call not yet answered.
    pub awaiting_answer: bool,
    pub answer: Option<String>,
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
    /// Authenticator apps.
    pub methods: Vec<MethodView>,
    pub phones: Vec<SecondStepPhone>,
    /// Whether a notification to the person's app is offered.
    pub push: bool,
    /// What to start with: the default, or travel mode's.
    pub start: Option<super::SignInMethod>,
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

/// The account an e-mailed set-up link is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupLinkView {
    pub username: String,
    pub display_name: String,
}
