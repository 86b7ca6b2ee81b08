//! The helpdesk area: a person's status as an agent needs it, verifying the person
//! on the phone, and getting them back in (unlock, temporary access pass). Every
//! function takes `&Helpdesk` (only `Caller::as_helpdesk` makes one); an
//! administrator's pass takes `&Verified<Admin>`. Which actions the helpdesk may
//! take, and which need a verified caller first, is policy (`portal_settings`).

mod access_pass;
mod caller_check;
mod caller_phone_check;
mod status;
mod unlock;
pub mod view_as;

pub use access_pass::{
    IssuedPass, PassAttempt, issue_by_admin, issue_by_helpdesk, normalise as normalise_pass,
    sign_in_with_pass,
};
pub use caller_check::{CALLER_VERIFICATION_SECS, CheckOutcome, how_verified, verify_by_code};
pub use caller_phone_check::{AgentRequest, send_phone_code, verify_by_phone_code};
pub use status::person;
pub use unlock::unlock;

use super::audit::{self, AuditRecord};
use super::caller::Helpdesk;
use crate::domain::{AuditAction, Role};
use crate::store::users::UserRow;
use crate::store::{Exec, UserId};

/// Why a helpdesk action was not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HelpRefusal {
    NoSuchPerson,
    /// Oneself, an administrator, or another agent (unless the agent is an admin).
    NotForThisPerson,
    /// The policy does not let the helpdesk do this.
    NotAllowedByPolicy,
    /// The policy wants the caller verified first, and they are not (or no longer).
    CallerNotVerified,
    /// No such app or token of this person.
    NoSuchMethod,
    /// Too many verification attempts for this person; try again later.
    TooManyChecks,
    /// The text or call to verify the caller was refused, or its code.
    Phone(crate::services::phones::PhoneRefusal),
}

pub type Outcome<T = ()> = anyhow::Result<Result<T, HelpRefusal>>;

/// Why `agent` may not act for `target`, or `None` when they may. Never oneself
/// (an agent locked out of their own account goes to a colleague), never an
/// administrator, and another agent only when the agent is an administrator.
pub fn why_not_helpable(agent: &Helpdesk, target: &UserRow) -> Option<&'static str> {
    if agent.actor.id == target.id {
        Some("This is your own account: ask a colleague to help you.")
    } else if target.role.includes(Role::Admin) {
        Some("Administrators are helped by another administrator in the admin section.")
    } else if target.role == Role::Helpdesk && !agent.is_admin() {
        Some("Helpdesk agents are helped by an administrator.")
    } else {
        None
    }
}

/// The person `agent` is about to help, or why not.
async fn helpable(
    state: &crate::state::Services,
    agent: &Helpdesk,
    user: UserId,
) -> anyhow::Result<Result<UserRow, HelpRefusal>> {
    let Some(target) = crate::store::users::find_by_id(&state.db, user).await? else {
        return Ok(Err(HelpRefusal::NoSuchPerson));
    };
    if why_not_helpable(agent, &target).is_some() {
        return Ok(Err(HelpRefusal::NotForThisPerson));
    }
    Ok(Ok(target))
}

/// The audit entry of one helpdesk action on `user`.
async fn record<'e>(
    exec: impl Exec<'e>,
    now: i64,
    actor: &super::caller::Caller,
    user: UserId,
    action: AuditAction,
    detail: &str,
    ip: &str,
) -> anyhow::Result<()> {
    let actor = actor.audit_actor();
    let entry = AuditRecord {
        actor: &actor,
        subject: Some(user),
        action,
        detail,
        ip: Some(ip),
    };
    audit::record(exec, now, entry).await
}
