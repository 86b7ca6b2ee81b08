//! One person as the helpdesk sees them: who they are, whether they are locked or
//! blocked, their methods by kind and name (never a number or a secret), their
//! latest sign-ins in words, and where this agent stands with them (verified
//! caller, a live pass).

use super::why_not_helpable;
use crate::domain::MethodKind;
use crate::domain::ResultCode;
use crate::domain::helpdesk::{
    CallerCheckView, CallerVerifiedView, CodeMethodView, HelpdeskPersonView, HelpdeskPhoneView,
    HelpdeskPolicyView,
};
use crate::services::caller::Helpdesk;
use crate::services::time_format::utc_minutes;
use crate::services::{phones, portal_settings, sign_in_history};
use crate::state::Services;
use crate::store::account_controls::LOCKED_UNTIL_UNLOCKED;
use crate::store::sign_in_history::{HistoryFilter, PageAt};
use crate::store::{UserId, access_passes, caller_verifications, methods, users};

const RECENT_SIGN_INS: i64 = 10;
const RECENT_CHECKS: i64 = 5;

/// The person's status for this agent, or `None` if there is no such person.
pub async fn person(
    state: &Services,
    agent: &Helpdesk,
    id: UserId,
) -> anyhow::Result<Option<HelpdeskPersonView>> {
    let now = state.clock.now();
    let Some(user) = users::find_by_id(&state.db, id).await? else {
        return Ok(None);
    };
    let code_methods = methods::list_active(&state.db, id)
        .await?
        .into_iter()
        .filter(|m| m.kind == MethodKind::Totp)
        .map(|m| CodeMethodView {
            id: m.id.0,
            kind_label: m.kind.label().to_owned(),
            name: m.name,
        })
        .collect();
    let phones = phones::list(state, id)
        .await?
        .into_iter()
        .map(|phone| {
            let ways = if phone.takes_sms {
                "texts and calls"
            } else {
                "calls"
            };
            let by_org = if phone.set_by_org {
                ", set by the organisation"
            } else {
                ""
            };
            HelpdeskPhoneView {
                method_id: phone.method_id,
                description: format!("{} ({ways}{by_org})", phone.type_label),
                takes_sms: phone.takes_sms,
            }
        })
        .collect();
    let (sign_ins, _) = crate::store::sign_in_history::page(
        &state.db,
        id,
        HistoryFilter::default(),
        PageAt::Newest,
        RECENT_SIGN_INS,
    )
    .await?;
    let verified = caller_verifications::live(state.db.pool(), agent.actor.id, id, now)
        .await?
        .map(|row| CallerVerifiedView {
            how: super::how_verified(&row.way, &row.method_label),
            until: row.valid_until.map(utc_minutes).unwrap_or_default(),
        });
    let checks = caller_verifications::recent(&state.db, agent.actor.id, id, RECENT_CHECKS)
        .await?
        .into_iter()
        .map(|row| CallerCheckView {
            when: utc_minutes(row.occurred_at),
            how: capitalised(&super::how_verified(&row.way, &row.method_label)),
            verified: row.verified,
            result: ResultCode::from_code(row.result_code).map_or_else(
                || row.result_code.to_string(),
                |code| format!("{} {}", code.code(), code.description()),
            ),
        })
        .collect();
    let live_pass = access_passes::live_for(&state.db, id, now)
        .await?
        .map(|(until, _uses)| {
            format!(
                "A temporary access pass works until {}.",
                utc_minutes(until)
            )
        });
    let settings = portal_settings::current(state).await?;
    Ok(Some(HelpdeskPersonView {
        id: user.id.0,
        not_helpable: why_not_helpable(agent, &user).map(str::to_owned),
        not_viewable: super::view_as::why_not_viewable(agent, &user).map(str::to_owned),
        locked_until: user
            .locked_until
            .filter(|until| *until > now)
            .map(|until| match until {
                LOCKED_UNTIL_UNLOCKED => "Locked by an administrator until unlocked".to_owned(),
                _ => format!("Locked until {} after failed attempts", utc_minutes(until)),
            }),
        blocked_since: user
            .blocked_at
            .map(|at| format!("Blocked since {} after a fraud report", utc_minutes(at))),
        disabled_since: user
            .disabled_at
            .map(|at| format!("Disabled by an administrator since {}", utc_minutes(at))),
        code_methods,
        phones,
        sign_ins: sign_ins.iter().map(sign_in_history::describe).collect(),
        verified,
        checks,
        live_pass,
        policy: HelpdeskPolicyView {
            may_unlock: settings.helpdesk_may_unlock || agent.is_admin(),
            unlock_needs_verified_caller: settings.unlock_needs_verified_caller,
            may_issue_pass: settings.helpdesk_may_issue_pass || agent.is_admin(),
            pass_needs_verified_caller: settings.pass_needs_verified_caller,
            pass_minutes: settings.access_pass_minutes,
            pass_reusable: settings.access_pass_reusable,
            view_needs_verified_caller: settings.view_needs_verified_caller,
            view_max_minutes: settings.impersonation_max_minutes,
        },
        username: user.username,
        display_name: user.display_name,
        email: user.email,
        role: user.role,
    }))
}

/// "A text to …" for a table cell.
fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
