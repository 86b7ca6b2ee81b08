//! What the audit log records, one word per kind of change.

crate::text_enum! {
    /// The `action` column of `audit_log`.
    pub enum AuditAction {
        AccountLocked = "account.locked",
        AccountSecured = "account.secured",
        AccountUnlocked = "account.unlocked",
        AccountDisabled = "account.disabled",
        AccountEnabled = "account.enabled",
        AppPasswordCreated = "app_password.created",
        AppPasswordRevoked = "app_password.revoked",
        DeviceForgotten = "device.forgotten",
        FraudReported = "fraud.reported",
        FraudConfirmed = "fraud.confirmed",
        FraudDismissed = "fraud.dismissed",
        MethodAdded = "method.added",
        MethodRemoved = "method.removed",
        PasswordChanged = "password.changed",
        PasswordReset = "password.reset",
        BypassGranted = "mfa.bypass_granted",
        BypassCancelled = "mfa.bypass_cancelled",
        ReregistrationRequired = "mfa.reregistration_required",
        BrowsersForgotten = "devices.all_forgotten",
        SessionsSignedOut = "sessions.signed_out",
        PhoneLimit = "phone.limit",
        PhoneSetByOrganisation = "phone.set_by_org",
        PolicyChanged = "policy.changed",
        SessionsSignedOutElsewhere = "sessions.signed_out_elsewhere",
        UserCreated = "user.created",
        UserImported = "user.imported",
        ImportStarted = "import.started",
        ImportFinished = "import.finished",
        TokensImported = "tokens.imported",
        TokenResynchronised = "token.resynchronised",
        UserMfaState = "user.mfa_state",
        UserProfileChanged = "user.profile",
    }
}

impl AuditAction {
    /// In words, for the admin's view of the log.
    pub fn label(self) -> &'static str {
        match self {
            Self::AccountLocked => "Account locked",
            Self::AccountSecured => "Account secured after a report",
            Self::AccountUnlocked => "Account unlocked",
            Self::AccountDisabled => "Account disabled",
            Self::AccountEnabled => "Account enabled",
            Self::AppPasswordCreated => "App password created",
            Self::AppPasswordRevoked => "App password revoked",
            Self::DeviceForgotten => "Remembered browser forgotten",
            Self::FraudReported => "Fraud reported",
            Self::FraudConfirmed => "Fraud report confirmed",
            Self::FraudDismissed => "Fraud report dismissed",
            Self::MethodAdded => "Method added",
            Self::MethodRemoved => "Method removed",
            Self::PasswordChanged => "Password changed",
            Self::PasswordReset => "Password reset",
            Self::BypassGranted => "One-time bypass allowed",
            Self::BypassCancelled => "One-time bypass cancelled",
            Self::ReregistrationRequired => "Re-registration required",
            Self::BrowsersForgotten => "All remembered browsers forgotten",
            Self::SessionsSignedOut => "Signed out everywhere",
            Self::PhoneLimit => "Phone limit reached",
            Self::PhoneSetByOrganisation => "Phone set by the organisation",
            Self::PolicyChanged => "Policy changed",
            Self::SessionsSignedOutElsewhere => "Signed out everywhere else",
            Self::UserCreated => "Account created",
            Self::UserImported => "Account created or changed by an import",
            Self::ImportStarted => "Import started",
            Self::ImportFinished => "Import finished",
            Self::TokensImported => "Hardware tokens imported",
            Self::TokenResynchronised => "Hardware token resynchronised",
            Self::UserMfaState => "MFA state changed",
            Self::UserProfileChanged => "Profile changed",
        }
    }
}
