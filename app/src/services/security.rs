//! The Security info page's rules: listing, renaming and removing methods, the
//! notices and audit entries that go with changes, and remembered devices.

use super::audit::{self, Actor, AuditRecord};
use super::caller::{Caller, Person, Verified};
use super::notify::{self, Notice};
use super::time_format::utc_minutes;
use crate::domain::AuditAction;
use crate::domain::views::{DeviceView, MethodView, SecuritySummary};
use crate::domain::{MethodKind, MethodName, MfaState, Username};
use crate::state::Services;
use crate::store::methods::{self, MethodRow};
use crate::store::remembered_devices::{self, DeviceRow};
use crate::store::{MethodId, UserId, users};
use anyhow::Context;

pub async fn info(state: &Services, caller: &Caller) -> anyhow::Result<SecuritySummary> {
    let now = state.clock.now();
    let user = super::accounts::subject_row(state, caller).await?;
    let (methods, push_devices): (Vec<MethodView>, Vec<MethodView>) =
        methods::list_active(&state.db, caller.subject.id)
            .await?
            .into_iter()
            .filter(|m| matches!(m.kind, MethodKind::Totp | MethodKind::Push))
            .map(method_view)
            .partition(|m| m.kind == MethodKind::Totp);
    let devices = remembered_devices::list_valid(&state.db, caller.subject.id, now)
        .await?
        .into_iter()
        .map(device_view)
        .collect();
    Ok(SecuritySummary {
        methods,
        push_devices,
        devices,
        sessions: super::sessions::where_signed_in(state, caller).await?,
        mfa_state: user.mfa_state,
        recently_verified: caller.recently_verified(now).is_ok(),
        app_passwords: super::app_passwords::list(state, caller).await?,
        phones: super::phones::list(state, caller.subject.id).await?,
        phone_setup: super::phones::setup(state, caller.subject.id).await?,
        default_method: super::default_method::view(state, caller).await?,
    })
}

pub fn device_view(row: DeviceRow) -> DeviceView {
    DeviceView {
        id: row.id,
        label: row.label,
        remembered: utc_minutes(row.created_at),
        until: utc_minutes(row.expires_at),
    }
}

pub fn method_view(row: MethodRow) -> MethodView {
    MethodView {
        id: row.id.0,
        kind_label: row.kind.label().to_owned(),
        kind: row.kind,
        name: row.name,
        added: utc_minutes(row.created_at),
        last_used: row.last_used_at.map(utc_minutes),
    }
}

pub async fn rename(
    state: &Services,
    caller: &Caller,
    method_id: MethodId,
    name: &MethodName,
) -> anyhow::Result<bool> {
    caller.require_writable()?;
    methods::rename(&state.db, caller.subject.id, method_id, name.as_str()).await
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoveRefusal {
    /// MFA is enforced and this is the last method.
    LastMethodRequired,
    /// A phone set by the organisation, and policy keeps it.
    SetByOrganisation,
    NotFound,
}

/// Removing a method is a change to how one signs in: it needs the step-up.
pub async fn remove(
    state: &Services,
    caller: &Verified<Caller>,
    method_id: MethodId,
    ip: &str,
) -> anyhow::Result<Result<(), RemoveRefusal>> {
    let Some(user) = users::find_by_id(&state.db, caller.subject.id).await? else {
        return Ok(Err(RemoveRefusal::NotFound));
    };
    let keep_one = user.mfa_state == MfaState::Enforced;
    if let Some(phone) = crate::store::phones::find(&state.db, caller.subject.id, method_id).await?
        && phone.set_by_org
        && !super::portal_settings::current(state)
            .await?
            .users_may_change_admin_phone
    {
        return Ok(Err(RemoveRefusal::SetByOrganisation));
    }
    // "Keep the last method" counts then deletes: only atomic while the person's
    // row is held (two parallel removals would otherwise each see the other left).
    let mut tx = state.db.begin().await?;
    users::lock_row(&mut tx, caller.subject.id).await?;
    let removed =
        methods::delete_for_user(&mut *tx, caller.subject.id, method_id, keep_one).await?;
    tx.commit().await.context("committing a method removal")?;
    let Some(name) = removed else {
        let exists = methods::list_active(&state.db, caller.subject.id)
            .await?
            .iter()
            .any(|m| m.id == method_id);
        return Ok(Err(if exists {
            RemoveRefusal::LastMethodRequired
        } else {
            RemoveRefusal::NotFound
        }));
    };
    let detail = format!("removed \"{name}\"");
    record_change(state, caller, AuditAction::MethodRemoved, &detail, ip).await?;
    let body = format!(
        "The sign-in method \"{name}\" was removed from your MFA Portal account. If this was not you, contact your helpdesk now."
    );
    notice(
        state,
        caller.subject.id,
        &caller.subject.email,
        "A sign-in method was removed from your account",
        &body,
    )
    .await?;
    Ok(Ok(()))
}

/// Audit entry and e-mail for a newly activated method; `what` describes it, as in
/// `an authenticator app named "Phone"`.
pub async fn method_added(
    state: &Services,
    owner: &Person,
    what: &str,
    ip: &str,
) -> anyhow::Result<()> {
    let actor = Actor::User {
        id: owner.id,
        username: owner.username.clone(),
    };
    method_added_by(state, owner, &actor, what, ip).await
}

/// As [`method_added`], for a method someone else (an admin) added for the owner.
pub async fn method_added_by(
    state: &Services,
    owner: &Person,
    actor: &Actor,
    what: &str,
    ip: &str,
) -> anyhow::Result<()> {
    let user = owner.id;
    let detail = format!("added {what}");
    let record = AuditRecord {
        actor,
        subject: Some(user),
        action: AuditAction::MethodAdded,
        detail: &detail,
        ip: Some(ip),
    };
    audit::record(state.db.pool(), state.clock.now(), record).await?;
    enforce_after_registration(state, user).await?;
    let body = format!(
        "{what} was added to your MFA Portal account as a sign-in method. If this was not you, contact your helpdesk now."
    );
    notice(
        state,
        user,
        &owner.email,
        "A sign-in method was added to your account",
        &body,
    )
    .await
}

pub async fn revoke_device(
    state: &Services,
    caller: &Caller,
    device_id: i64,
    ip: &str,
) -> anyhow::Result<bool> {
    caller.require_writable()?;
    let revoked =
        remembered_devices::revoke(&state.db, caller.subject.id, device_id, state.clock.now())
            .await?;
    if revoked {
        record_change(
            state,
            caller,
            AuditAction::DeviceForgotten,
            &format!("device {device_id}"),
            ip,
        )
        .await?;
    }
    Ok(revoked)
}

/// Entra's per-user MFA: once an enabled person has a method, their state becomes
/// enforced (when the policy says so). Only from enabled, in one statement.
async fn enforce_after_registration(state: &Services, user: UserId) -> anyhow::Result<()> {
    if !super::portal_settings::current(state)
        .await?
        .enforce_after_registration
    {
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    if users::replace_mfa_state(&mut *tx, user, MfaState::Enabled, MfaState::Enforced).await? {
        let record = AuditRecord {
            actor: &Actor::System("policy: enforce after registration"),
            subject: Some(user),
            action: AuditAction::UserMfaState,
            detail: "MFA state enabled -> enforced (a method was registered)",
            ip: None,
        };
        audit::record(&mut *tx, state.clock.now(), record).await?;
    }
    tx.commit()
        .await
        .context("committing the enforced MFA state")?;
    Ok(())
}

/// Sets a user's MFA state (command line for now; the admin section later).
pub async fn set_mfa_state(
    state: &Services,
    username: &Username,
    mfa_state: MfaState,
    actor: &Actor,
) -> anyhow::Result<bool> {
    let Some(user) = users::find_by_username(&state.db, username).await? else {
        return Ok(false);
    };
    users::set_mfa_state(&state.db, user.id, mfa_state).await?;
    let detail = format!("MFA state {} -> {}", user.mfa_state, mfa_state);
    let record = AuditRecord {
        actor,
        subject: Some(user.id),
        action: AuditAction::UserMfaState,
        detail: &detail,
        ip: None,
    };
    audit::record(state.db.pool(), state.clock.now(), record).await?;
    Ok(true)
}

async fn record_change(
    state: &Services,
    caller: &Caller,
    action: AuditAction,
    detail: &str,
    ip: &str,
) -> anyhow::Result<()> {
    let now = state.clock.now();
    audit::record_change(state.db.pool(), now, caller, action, detail, ip).await
}

async fn notice(
    state: &Services,
    user: UserId,
    email: &str,
    subject: &str,
    body: &str,
) -> anyhow::Result<()> {
    notify::email(
        state,
        Notice {
            user,
            email,
            subject,
            body,
        },
    )
    .await
}
