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
