//! Notification in the app: what a push prompt is for, how it is approved, where
//! it stands, and what the pages show while enrolling a device or waiting.

use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// What a push prompt is for; it only counts for its own purpose.
    pub enum PushPurpose {
        /// The second step of a sign-in.
        SignIn = "sign_in",
        /// Confirming identity before changing sign-in methods.
        Confirm = "confirm",
        /// The test prompt that activates a newly enrolled device.
        Activate = "activate",
    }
}

crate::text_enum! {
    /// How a prompt is approved (seed 001), chosen by the policy `push_approval`.
    pub enum PushApproval {
        /// The prompt shows a short code that the sign-in page also shows.
        Approve = "approve",
        /// The sign-in page shows a number; the app offers three; a wrong pick refuses.
        Pick = "pick",
        /// The number is typed in the portal's web authenticator; apps that cannot
        /// type get the three numbers to pick from.
        Type = "type",
    }
}

crate::text_enum! {
    /// A push challenge's state (the `status` column of `push_challenges`).
    pub enum PushChallengeState {
        Open = "open",
        /// Approved on a device; the sign-in it was for has not taken it yet.
        Approved = "approved",
        /// Denied, or a wrong number picked.
        Denied = "denied",
        /// "Deny and report fraud".
        Fraud = "fraud",
        /// Nobody answered within its minute.
        Expired = "expired",
        /// The approval was taken by its sign-in: single use.
        Used = "used",
    }
}

/// A device being enrolled: the QR code for the app and the link for "open on
/// this phone".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushEnrolmentView {
    pub method_id: i64,
    /// `otpauth://pipush/…`, also the "open on this phone" link.
    pub uri: String,
    pub qr_svg: String,
    pub expires: String,
}

/// Where a device's enrolment stands, for the page that waits on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PushActivation {
    /// The app has not sent its key yet.
    WaitingForApp,
    /// The app enrolled; the test prompt waits to be approved. `code` is shown on
    /// the page (the number to pick, or the short code to compare);
    /// `previous_refused`: the one before was denied or not answered in time.
    TestPromptSent {
        code: String,
        previous_refused: bool,
    },
    Active,
    /// The enrolment's time is over; start again.
    Expired,
}

/// A sign-in prompt sent to the person's devices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushPromptView {
    pub challenge_id: i64,
    pub approval: PushApproval,
    /// The number to pick or type, or the code to compare, shown on the sign-in page.
    pub shown_code: String,
    pub expires_in_secs: i64,
}
