//! What an admin changes on a person's account. Dangerous actions take
//! `&Verified<Admin>` (an administrator whose own verification is recent); the
//! protective ones (lock, sign out everywhere, forget browsers, cancel a bypass)
//! take `&Admin`, so an admin can stop an attack without first finding their phone.
//! Every change lands with its audit entry (the admin, the person, before and
//! after) in one transaction, and only when it changes something.

mod account;
mod methods;
mod mfa_state;
mod org_phone;
mod profile;
mod setup_link;

pub use account::{
    Bypass, cancel_bypass, disable, enable, forget_browsers, grant_bypass, lock, reset_password,
    sign_out_everywhere, unlock,
};
pub use methods::{Cleared, remove_method, require_reregistration};
pub use mfa_state::{Changed, set_mfa_state};
pub use org_phone::{OrgPhone, OrgPhoneRefusal, set_org_phone};
pub use profile::{
    CreatedPerson, FirstPasswordBy, FirstPasswordGiven, NewPerson, ProfileEdit, create_person,
    edit_profile,
};
pub use setup_link::{SETUP_LINK_HOURS, SentLink, send_setup_link};

use super::audit::{self, AuditRecord};
use super::caller::Admin;
use crate::domain::AuditAction;
use crate::state::Services;
use crate::store::{Exec, UserId};

/// Why an action was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    NoSuchPerson,
    /// It would leave no active administrator.
    LastAdmin,
    /// The method is not the person's (or is gone).
    NoSuchMethod,
    /// A dangerous action and the admin's own verification is not recent.
    NotRecentlyVerified,
}

crate::text_enum! {
    /// The one-click actions on a person's page (the form's `action` value).
    pub enum AccountAction {
        Lock = "lock",
        Unlock = "unlock",
        Disable = "disable",
        Enable = "enable",
        SignOutEverywhere = "sign_out_everywhere",
        ForgetBrowsers = "forget_browsers",
        RequireReregistration = "require_reregistration",
        CancelBypass = "cancel_bypass",
    }
}

/// Runs one of the one-click actions. The dangerous ones (unlock, disable, enable,
/// re-registration) first get the admin's recent verification, so a caller cannot
/// skip it; the protective ones do not need it.
pub async fn apply(
    state: &Services,
    admin: &Admin,
    user: UserId,
    action: AccountAction,
    ip: &str,
) -> Outcome {
    let verified = || {
        admin
            .recently_verified(state.clock.now())
            .map_err(|_| Refusal::NotRecentlyVerified)
    };
    Ok(match action {
        AccountAction::Lock => lock(state, admin, user, ip).await?,
        AccountAction::SignOutEverywhere => sign_out_everywhere(state, admin, user, ip).await?,
        AccountAction::ForgetBrowsers => forget_browsers(state, admin, user, ip).await?.map(|_| ()),
        AccountAction::CancelBypass => cancel_bypass(state, admin, user, ip).await?,
        AccountAction::Unlock => match verified() {
            Ok(admin) => unlock(state, &admin, user, ip).await?,
            Err(refusal) => Err(refusal),
        },
        AccountAction::Disable => match verified() {
            Ok(admin) => disable(state, &admin, user, ip).await?,
            Err(refusal) => Err(refusal),
        },
        AccountAction::Enable => match verified() {
            Ok(admin) => enable(state, &admin, user, ip).await?,
            Err(refusal) => Err(refusal),
        },
        AccountAction::RequireReregistration => match verified() {
            Ok(admin) => require_reregistration(state, &admin, user, ip)
                .await?
                .map(|_| ()),
            Err(refusal) => Err(refusal),
        },
    })
}

pub type Outcome<T = ()> = anyhow::Result<Result<T, Refusal>>;

/// The audit entry of one admin action on `user`.
async fn record<'e>(
    exec: impl Exec<'e>,
    now: i64,
    admin: &Admin,
    user: UserId,
    action: AuditAction,
    detail: &str,
    ip: &str,
) -> anyhow::Result<()> {
    let actor = admin.audit_actor();
    let entry = AuditRecord {
        actor: &actor,
        subject: Some(user),
        action,
        detail,
        ip: Some(ip),
    };
    audit::record(exec, now, entry).await
}
