//! Changing one's own password: the current one first, the rules for the new one,
//! then every remembered browser is forgotten, and the change is audited and told.

use super::audit::{self, Actor, AuditRecord};
use super::caller::Caller;
use super::notify::{self, Notice};
use super::password_policy::{NewPassword, PasswordRuleError};
use super::sign_in::confirm_password;
use crate::state::AppState;
use crate::store::{app_passwords, remembered_devices, users};
use secrecy::SecretString;
use std::net::IpAddr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeRefusal {
    CurrentWrong,
    Rule(PasswordRuleError),
}

pub async fn change(
    state: &AppState,
    caller: &Caller,
    current: SecretString,
    new: SecretString,
    ip: IpAddr,
) -> anyhow::Result<Result<(), ChangeRefusal>> {
    if !confirm_password(state, caller.user_id, current, ip).await? {
        return Ok(Err(ChangeRefusal::CurrentWrong));
    }
    let names = [caller.username.as_str(), caller.display_name.as_str()];
    let new = match NewPassword::parse(new, &names) {
        Ok(password) => password,
        Err(rule) => return Ok(Err(ChangeRefusal::Rule(rule))),
    };
    let hash = state.hasher.hash(new.into_secret()).await?;
    let now = state.clock.now();
    users::set_password(&state.db, caller.user_id, &hash, now).await?;
    let forgotten = remembered_devices::revoke_all(&state.db, caller.user_id, now).await?;
    let revoked = app_passwords::revoke_all(&state.db, caller.user_id, now).await?;
    let actor = Actor::User {
        id: caller.user_id,
        username: caller.username.clone(),
    };
    let detail = format!(
        "password changed; {forgotten} remembered browsers forgotten, {revoked} app passwords revoked"
    );
    let ip = ip.to_string();
    let record = AuditRecord {
        actor: &actor,
        subject: Some(caller.user_id),
        action: "password.changed",
        detail: &detail,
        ip: Some(&ip),
    };
    audit::record(&state.db, now, record).await?;
    let notice = Notice {
        user: caller.user_id,
        email: &caller.email,
        subject: "Your password was changed",
        body: "The password of your MFA Portal account was changed. If this was not you, contact your helpdesk now.",
    };
    notify::email(state, notice).await?;
    Ok(Ok(()))
}
