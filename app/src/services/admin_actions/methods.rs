//! A person's ways to sign in, as an admin changes them: start over, or remove one.

use super::{Outcome, Refusal, record};
use crate::domain::AuditAction;
use crate::services::caller::{Admin, Verified};
use crate::services::notify::{self, Notice};
use crate::state::Services;
use crate::store::{MethodId, UserId, app_passwords, methods, remembered_devices, users};
use anyhow::Context;

/// What re-registration took away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cleared {
    pub methods: usize,
    pub app_passwords: u64,
    pub browsers: u64,
}

/// Requires the person to register again: removes their apps and the phones they
/// added (phones set by the organisation stay), app passwords and remembered
/// browsers, and ends their sessions, so the next sign-in asks them to register
/// (when their MFA state is enabled or enforced). The person is e-mailed.
pub async fn require_reregistration(
    state: &Services,
    admin: &Verified<Admin>,
    user: UserId,
    ip: &str,
) -> Outcome<Cleared> {
    let Some(row) = users::find_by_id(&state.db, user).await? else {
        return Ok(Err(Refusal::NoSuchPerson));
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    users::lock_row(&mut tx, user).await?;
    let removed = methods::delete_all_but_org_phones(&mut *tx, user).await?;
    let cleared = Cleared {
        methods: removed.len(),
        app_passwords: app_passwords::revoke_all(&mut *tx, user, now).await?,
        browsers: remembered_devices::revoke_all(&mut *tx, user, now).await?,
    };
    users::bump_session_epoch(&mut *tx, user).await?;
    let detail = format!(
        "removed {} method(s){}, {} app password(s), {} remembered browser(s); sessions ended",
        cleared.methods,
        if removed.is_empty() {
            String::new()
        } else {
            format!(" ({})", removed.join(", "))
        },
        cleared.app_passwords,
        cleared.browsers,
    );
    let action = AuditAction::ReregistrationRequired;
    record(&mut *tx, now, admin, user, action, &detail, ip).await?;
    let notice = Notice {
        user,
        email: &row.email,
        subject: "Register your sign-in methods again",
        body: "An administrator of MFA Portal removed your sign-in methods and app passwords. When you next sign in you will be asked to set up a method again. If you did not expect this, contact your helpdesk.",
    };
    notify::email_in(&mut *tx, now, notice).await?;
    tx.commit().await.context("committing a re-registration")?;
    Ok(Ok(cleared))
}

/// Removes one method (any kind, also a phone the organisation set). Unlike the
/// person's own removal, the last method may go: with MFA on, the person then
/// registers again at sign-in. The person is e-mailed.
pub async fn remove_method(
    state: &Services,
    admin: &Verified<Admin>,
    user: UserId,
    method: MethodId,
    ip: &str,
) -> Outcome<String> {
    let Some(row) = users::find_by_id(&state.db, user).await? else {
        return Ok(Err(Refusal::NoSuchPerson));
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(name) = methods::delete_for_user(&mut *tx, user, method, false).await? else {
        return Ok(Err(Refusal::NoSuchMethod));
    };
    let detail = format!("removed \"{name}\"");
    record(
        &mut *tx,
        now,
        admin,
        user,
        AuditAction::MethodRemoved,
        &detail,
        ip,
    )
    .await?;
    let body = format!(
        "An administrator of MFA Portal removed the sign-in method \"{name}\" from your account. If you did not expect this, contact your helpdesk."
    );
    let notice = Notice {
        user,
        email: &row.email,
        subject: "A sign-in method was removed from your account",
        body: &body,
    };
    notify::email_in(&mut *tx, now, notice).await?;
    tx.commit().await.context("committing a method removal")?;
    Ok(Ok(name))
}
