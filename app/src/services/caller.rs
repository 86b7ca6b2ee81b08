//! Who is calling: whose account a request concerns (the subject), who is at the
//! keyboard (the actor: the same person, or a helpdesk agent acting for them), and
//! the proofs a service can demand as types: [`Caller::require_writable`] and
//! [`Verified`]. No web-framework type: the web layer (`api/guard.rs`) keeps the
//! browser session and hands services a `Caller`.

use crate::domain::{AppError, Role};
use crate::store::UserId;
use crate::store::users::UserRow;
use serde::{Deserialize, Serialize};

/// Refresh `last_seen_at` at most this often, so reading a page rarely writes.
pub const LAST_SEEN_GRANULARITY_SECS: i64 = 30;
/// How long the second step may take after the password.
pub const PENDING_SIGN_IN_SECS: i64 = 5 * 60;
/// How long registering a first method at sign-in may take: installing an app takes
/// longer than typing a code, so as long as an enrolment lives.
pub const PENDING_REGISTRATION_SECS: i64 = 10 * 60;
/// How long a second factor (or, before the first method, the password) counts as
/// recent enough to change sign-in methods.
pub const RECENT_VERIFICATION_SECS: i64 = 10 * 60;

/// One person as a request sees them, loaded fresh on each request so a role change
/// or block takes effect at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
}

impl From<&UserRow> for Person {
    fn from(user: &UserRow) -> Self {
        Person {
            id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            email: user.email.clone(),
            role: user.role,
        }
    }
}

impl From<UserRow> for Person {
    fn from(user: UserRow) -> Self {
        Person {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            email: user.email,
            role: user.role,
        }
    }
}

/// A signed-in request.
#[derive(Clone, Debug)]
pub struct Caller {
    /// Whose account the request reads or changes.
    pub subject: Person,
    /// Who is at the keyboard; the subject unless an agent acts for them. Roles are
    /// the actor's: an agent viewing a user's account keeps the agent's menus.
    pub actor: Person,
    pub sign_in_event_id: i64,
    /// When the actor last proved a second factor in this session.
    pub verified_at: Option<i64>,
    /// This session's `user_sessions` row, if it has one.
    pub session_row: Option<i64>,
    pub session_epoch: i64,
}

/// Why a caller may not make a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallerRefusal {
    /// An agent is viewing someone's account: read-only.
    ActingForSomeone,
    /// Changing how one signs in needs a second factor within the last ten minutes.
    NotRecentlyVerified,
    /// The admin section is for administrators acting for themselves.
    NotAnAdmin,
    /// The helpdesk area is for helpdesk agents (and admins) acting for themselves.
    NotHelpdesk,
}

impl std::fmt::Display for CallerRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CallerRefusal::ActingForSomeone => "acting for someone else: read-only",
            CallerRefusal::NotRecentlyVerified => "no recent second factor",
            CallerRefusal::NotAnAdmin => "not an administrator",
            CallerRefusal::NotHelpdesk => "not a helpdesk agent",
        })
    }
}

/// Services without a refusal enum of their own raise it as their error; the web
/// layer recognises it and refuses with its message (see `api/guard.rs`).
impl std::error::Error for CallerRefusal {}

impl From<CallerRefusal> for AppError {
    fn from(refusal: CallerRefusal) -> Self {
        match refusal {
            CallerRefusal::ActingForSomeone => AppError::ReadOnlyView,
            CallerRefusal::NotRecentlyVerified => AppError::ReauthenticationRequired,
            CallerRefusal::NotAnAdmin | CallerRefusal::NotHelpdesk => AppError::Forbidden,
        }
    }
}

/// A caller whose second factor is recent and who acts for themselves. Only
/// [`Caller::recently_verified`] makes one, so a service that takes
/// `&Verified<Caller>` cannot be reached without the step-up.
#[derive(Clone, Debug)]
pub struct Verified<C>(C);

impl std::ops::Deref for Verified<Caller> {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.0
    }
}

/// An administrator acting for themselves. Only [`Caller::as_admin`] makes one, so
/// a service of the admin section that takes `&Admin` cannot be reached by anyone
/// else, whatever its caller checked.
#[derive(Clone, Debug)]
pub struct Admin(Caller);

impl std::ops::Deref for Admin {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.0
    }
}

impl Admin {
    /// The step-up for the admin's dangerous actions: the admin's own second factor
    /// (or, without one, their sign-in) within the last ten minutes.
    pub fn recently_verified(&self, now: i64) -> Result<Verified<Admin>, CallerRefusal> {
        self.0.recently_verified(now)?;
        Ok(Verified(self.clone()))
    }
}

impl std::ops::Deref for Verified<Admin> {
    type Target = Admin;

    fn deref(&self) -> &Admin {
        &self.0
    }
}

/// A helpdesk agent (or an administrator) acting for themselves. Only
/// [`Caller::as_helpdesk`] makes one.
#[derive(Clone, Debug)]
pub struct Helpdesk(Caller);

impl std::ops::Deref for Helpdesk {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.0
    }
}

impl Helpdesk {
    /// Whether the agent is also an administrator (who may help helpdesk agents).
    pub fn is_admin(&self) -> bool {
        self.0.actor.role.includes(Role::Admin)
    }
}

/// Staff who may search people and read their status: an [`Admin`] or a
/// [`Helpdesk`] agent. Both are made only from a checked [`Caller`].
pub trait Staff: std::ops::Deref<Target = Caller> {}
impl Staff for Admin {}
impl Staff for Helpdesk {}

impl Caller {
    /// A person using their own account.
    pub fn themselves(person: Person, session: SessionFacts) -> Caller {
        Caller {
            actor: person.clone(),
            subject: person,
            sign_in_event_id: session.sign_in_event_id,
            verified_at: session.verified_at,
            session_row: session.session_row,
            session_epoch: session.session_epoch,
        }
    }

    /// `agent` looking at `subject`'s account (helpdesk view): read-only.
    pub fn acting_for(agent: Caller, subject: Person) -> Caller {
        Caller { subject, ..agent }
    }

    pub fn is_acting_for_someone(&self) -> bool {
        self.actor.id != self.subject.id
    }

    /// The one place that refuses changes while acting for someone.
    pub fn require_writable(&self) -> Result<(), CallerRefusal> {
        if self.is_acting_for_someone() {
            return Err(CallerRefusal::ActingForSomeone);
        }
        Ok(())
    }

    /// The step-up proof: writable, and a second factor within the last ten minutes.
    pub fn recently_verified(&self, now: i64) -> Result<Verified<Caller>, CallerRefusal> {
        self.require_writable()?;
        match self.verified_at {
            Some(at) if now - at <= RECENT_VERIFICATION_SECS => Ok(Verified(self.clone())),
            _ => Err(CallerRefusal::NotRecentlyVerified),
        }
    }

    /// The proof that the admin section may serve this caller: the actor's own role
    /// is admin, and they act for themselves.
    pub fn as_admin(&self) -> Result<Admin, CallerRefusal> {
        if self.is_acting_for_someone() || !self.actor.role.includes(Role::Admin) {
            return Err(CallerRefusal::NotAnAdmin);
        }
        Ok(Admin(self.clone()))
    }

    /// The proof that the helpdesk area may serve this caller: the actor's own role
    /// includes helpdesk (admins too), and they act for themselves.
    pub fn as_helpdesk(&self) -> Result<Helpdesk, CallerRefusal> {
        if self.is_acting_for_someone() || !self.actor.role.includes(Role::Helpdesk) {
            return Err(CallerRefusal::NotHelpdesk);
        }
        Ok(Helpdesk(self.clone()))
    }

    /// The actor as the audit log names them.
    pub fn audit_actor(&self) -> super::audit::Actor {
        super::audit::Actor::User {
            id: self.actor.id,
            username: self.actor.username.clone(),
        }
    }
}

/// What the browser session remembers about a sign-in, besides who: kept by the web
/// layer, read back into a [`Caller`]. Holds no secret.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionFacts {
    pub sign_in_event_id: i64,
    pub verified_at: Option<i64>,
    pub session_row: Option<i64>,
    pub session_epoch: i64,
}

/// What must happen before a password-checked sign-in is complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PendingStage {
    /// Enter a code from a registered method.
    SecondFactor,
    /// MFA is on and no method exists: register one ("More information required").
    MustRegister,
    /// An administrator set the password: choose one's own first.
    NewPassword,
}

impl PendingStage {
    pub fn lifetime_secs(self) -> i64 {
        match self {
            PendingStage::SecondFactor | PendingStage::NewPassword => PENDING_SIGN_IN_SECS,
            PendingStage::MustRegister => PENDING_REGISTRATION_SECS,
        }
    }
}

/// Between the password and the second step. Grants nothing but that step.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub user_id: i64,
    pub stage: PendingStage,
    pub started_at: i64,
    /// The password step's sign-in event.
    pub event_id: i64,
    /// The user's session epoch when the password was checked.
    #[serde(default)]
    pub session_epoch: i64,
}

impl PendingSignIn {
    pub fn user(&self) -> UserId {
        UserId(self.user_id)
    }

    pub fn is_live(&self, now: i64) -> bool {
        now - self.started_at <= self.stage.lifetime_secs()
    }
}

/// Someone registering their first method at sign-in ("More information required"):
/// the password was right and MFA is enforced. Made only from a live pending
/// sign-in at that stage.
#[derive(Clone, Debug)]
pub struct Registering {
    pub person: Person,
    pub pending: PendingSignIn,
}

/// Who may add a method now: a signed-in person with a recent second factor, or
/// someone registering their first method at sign-in.
#[derive(Clone, Debug)]
pub enum Enroller {
    Verified(Verified<Caller>),
    Registering(Registering),
}

impl Enroller {
    pub fn person(&self) -> &Person {
        match self {
            Enroller::Verified(caller) => &caller.subject,
            Enroller::Registering(registering) => &registering.person,
        }
    }

    /// The sign-in event the enrolment is bound to.
    pub fn event_id(&self) -> i64 {
        match self {
            Enroller::Verified(caller) => caller.sign_in_event_id,
            Enroller::Registering(registering) => registering.pending.event_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64, role: Role) -> Person {
        Person {
            id: UserId(id),
            username: format!("user{id}"),
            display_name: format!("User {id}"),
            email: format!("user{id}@example.test"),
            role,
        }
    }

    fn signed_in(verified_at: Option<i64>) -> Caller {
        let facts = SessionFacts {
            sign_in_event_id: 7,
            verified_at,
            session_row: Some(3),
            session_epoch: 0,
        };
        Caller::themselves(person(1, Role::Helpdesk), facts)
    }

    #[test]
    fn step_up_lasts_ten_minutes() {
        let caller = signed_in(Some(1_000));
        assert!(
            caller
                .recently_verified(1_000 + RECENT_VERIFICATION_SECS)
                .is_ok()
        );
        assert_eq!(
            caller
                .recently_verified(1_001 + RECENT_VERIFICATION_SECS)
                .err(),
            Some(CallerRefusal::NotRecentlyVerified)
        );
        assert_eq!(
            signed_in(None).recently_verified(0).err(),
            Some(CallerRefusal::NotRecentlyVerified)
        );
    }

    #[test]
    fn acting_for_someone_is_read_only_even_when_recently_verified() {
        let agent = signed_in(Some(1_000));
        let caller = Caller::acting_for(agent, person(2, Role::User));
        assert!(caller.is_acting_for_someone());
        assert_eq!(caller.subject.id, UserId(2));
        assert_eq!(caller.actor.role, Role::Helpdesk);
        assert_eq!(
            caller.require_writable(),
            Err(CallerRefusal::ActingForSomeone)
        );
        assert_eq!(
            caller.recently_verified(1_001).err(),
            Some(CallerRefusal::ActingForSomeone)
        );
        let super::super::audit::Actor::User { id, .. } = caller.audit_actor() else {
            panic!("a person acted");
        };
        assert_eq!(id, UserId(1), "the audit log names the agent");
    }

    #[test]
    fn only_an_admin_acting_for_themselves_reaches_the_admin_section() {
        let facts = SessionFacts {
            sign_in_event_id: 7,
            verified_at: None,
            session_row: None,
            session_epoch: 0,
        };
        let admin = Caller::themselves(person(5, Role::Admin), facts);
        assert_eq!(admin.as_admin().map(|a| a.actor.id).ok(), Some(UserId(5)));
        assert_eq!(
            signed_in(Some(1)).as_admin().err(),
            Some(CallerRefusal::NotAnAdmin),
            "helpdesk"
        );
        let viewing = Caller::acting_for(admin, person(2, Role::User));
        assert_eq!(viewing.as_admin().err(), Some(CallerRefusal::NotAnAdmin));
    }

    #[test]
    fn helpdesk_area_takes_agents_and_admins_acting_for_themselves() {
        let facts = |_| SessionFacts {
            sign_in_event_id: 7,
            verified_at: None,
            session_row: None,
            session_epoch: 0,
        };
        let agent = signed_in(None).as_helpdesk().expect("an agent");
        assert!(!agent.is_admin());
        let admin = Caller::themselves(person(5, Role::Admin), facts(()));
        assert!(admin.as_helpdesk().expect("an admin").is_admin());
        let user = Caller::themselves(person(6, Role::User), facts(()));
        assert_eq!(user.as_helpdesk().err(), Some(CallerRefusal::NotHelpdesk));
        let viewing = Caller::acting_for(signed_in(None), person(2, Role::User));
        assert_eq!(
            viewing.as_helpdesk().err(),
            Some(CallerRefusal::NotHelpdesk)
        );
    }

    #[test]
    fn a_person_on_their_own_account_may_change_it() {
        assert_eq!(signed_in(None).require_writable(), Ok(()));
        assert!(!signed_in(None).is_acting_for_someone());
    }
}
