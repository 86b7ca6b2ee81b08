//! What the audit log records, one word per kind of change.

crate::text_enum! {
    /// The `action` column of `audit_log`.
    pub enum AuditAction {
        AccountLocked = "account.locked",
        AccountSecured = "account.secured",
        AppPasswordCreated = "app_password.created",
        AppPasswordRevoked = "app_password.revoked",
        DeviceForgotten = "device.forgotten",
        FraudReported = "fraud.reported",
        MethodAdded = "method.added",
        MethodRemoved = "method.removed",
        PasswordChanged = "password.changed",
        PhoneLimit = "phone.limit",
        PhoneSetByOrganisation = "phone.set_by_org",
        PolicyChanged = "policy.changed",
        SessionsSignedOutElsewhere = "sessions.signed_out_elsewhere",
        UserCreated = "user.created",
        UserMfaState = "user.mfa_state",
    }
}

impl AuditAction {
    /// In words, for the admin's view of the log.
    pub fn label(self) -> &'static str {
        match self {
            Self::AccountLocked => "Account locked",
            Self::AccountSecured => "Account secured after a report",
            Self::AppPasswordCreated => "App password created",
            Self::AppPasswordRevoked => "App password revoked",
            Self::DeviceForgotten => "Remembered browser forgotten",
            Self::FraudReported => "Fraud reported",
            Self::MethodAdded => "Method added",
            Self::MethodRemoved => "Method removed",
            Self::PasswordChanged => "Password changed",
            Self::PhoneLimit => "Phone limit reached",
            Self::PhoneSetByOrganisation => "Phone set by the organisation",
            Self::PolicyChanged => "Policy changed",
            Self::SessionsSignedOutElsewhere => "Signed out everywhere else",
            Self::UserCreated => "Account created",
            Self::UserMfaState => "MFA state changed",
        }
    }
}
