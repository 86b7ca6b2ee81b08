//! The directory: finding people (admins and the helpdesk share the search, each
//! through a proof only `Caller` makes) and the admin's page of one person.

use super::caller::{Admin, Staff};
use super::time_format::utc_minutes;
use crate::domain::directory::{
    AuditEntryView, DirectoryPage, DirectoryQuery, DirectoryRow, PersonView, RegisteredFilter,
    StatusFilter,
};
use crate::domain::{FieldError, MethodKind, MfaState, Role};
use crate::state::Services;
use crate::store::account_controls::LOCKED_UNTIL_UNLOCKED;
use crate::store::directory::{self, DirectoryFilter};
use crate::store::sign_in_history::{self, HistoryFilter, PageAt};
use crate::store::{UserId, audit, methods, remembered_devices, users};

pub const PAGE_SIZE: i64 = 25;
/// How many of the newest sign-ins and audit entries a person's page shows.
const RECENT_SIGN_INS: i64 = 10;
const RECENT_AUDIT: i64 = 20;
/// Longer search text is refused rather than cut.
const MAX_SEARCH_CHARS: usize = 100;

/// A search the service has checked, ready for the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectorySearch {
    text: Option<String>,
    role: Option<Role>,
    mfa_state: Option<MfaState>,
    status: StatusFilter,
    registered: RegisteredFilter,
    after: Option<String>,
}

/// Checks the page address's query; a bad value is refused next to its filter.
pub fn parse_query(query: &DirectoryQuery) -> Result<DirectorySearch, FieldError> {
    let text = given(&query.q).map(str::to_lowercase);
    if text
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_SEARCH_CHARS)
    {
        return Err(FieldError::new(
            "q",
            format!("Search with at most {MAX_SEARCH_CHARS} characters."),
        ));
    }
    Ok(DirectorySearch {
        text,
        role: choice(&query.role, "role", "Choose one of the listed roles.")?,
        mfa_state: choice(&query.mfa, "mfa", "Choose one of the listed MFA states.")?,
        status: choice(
            &query.status,
            "status",
            "Choose one of the listed statuses.",
        )?
        .unwrap_or_default(),
        registered: choice(
            &query.methods,
            "methods",
            "Choose one of the listed options.",
        )?
        .unwrap_or_default(),
        after: given(&query.after).map(str::to_owned),
    })
}

/// The trimmed value, if the field was filled in.
fn given(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A filter's word, where "any" (or nothing) means no filter.
fn choice<T: std::str::FromStr>(
    raw: &Option<String>,
    field: &'static str,
    message: &str,
) -> Result<Option<T>, FieldError> {
    match given(raw) {
        None | Some("any") => Ok(None),
        Some(word) => word
            .parse()
            .map(Some)
            .map_err(|_| FieldError::new(field, message)),
    }
}

/// One page of people matching `search`, by username.
pub async fn search(
    state: &Services,
    _staff: &impl Staff,
    search: DirectorySearch,
) -> anyhow::Result<DirectoryPage> {
    let now = state.clock.now();
    let filter = DirectoryFilter {
        text: search.text,
        role: search.role,
        mfa_state: search.mfa_state,
        locked_at: (search.status == StatusFilter::Locked).then_some(now),
        blocked: search.status == StatusFilter::Blocked,
        disabled: search.status == StatusFilter::Disabled,
        registered: match search.registered {
            RegisteredFilter::Any => None,
            RegisteredFilter::AtLeastOne => Some(true),
            RegisteredFilter::NoneYet => Some(false),
        },
        after: search.after,
    };
    let (rows, more) = directory::search(&state.db, &filter, PAGE_SIZE).await?;
    let next = rows.last().filter(|_| more).map(|row| row.username.clone());
    Ok(DirectoryPage {
        rows: rows
            .into_iter()
            .map(|row| DirectoryRow {
                id: row.id,
                locked: row.locked_until.is_some_and(|until| until > now),
                blocked: row.blocked_at.is_some(),
                disabled: row.disabled_at.is_some(),
                username: row.username,
                display_name: row.display_name,
                email: row.email,
                role: row.role,
                mfa_state: row.mfa_state,
                methods: row.methods,
            })
            .collect(),
        next,
    })
}

/// Everything about one person but a secret, or `None` if there is no such person.
pub async fn person(
    state: &Services,
    _admin: &Admin,
    id: UserId,
) -> anyhow::Result<Option<PersonView>> {
    let now = state.clock.now();
    let Some(user) = users::find_by_id(&state.db, id).await? else {
        return Ok(None);
    };
    let methods = methods::list_active(&state.db, id)
        .await?
        .into_iter()
        .filter(|m| m.kind == MethodKind::Totp)
        .map(super::security::method_view)
        .collect();
    let devices = remembered_devices::list_valid(&state.db, id, now)
        .await?
        .into_iter()
        .map(super::security::device_view)
        .collect();
    let (sign_ins, _) = sign_in_history::page(
        &state.db,
        id,
        HistoryFilter::default(),
        PageAt::Newest,
        RECENT_SIGN_INS,
    )
    .await?;
    let audit = audit::about(&state.db, id, RECENT_AUDIT)
        .await?
        .into_iter()
        .map(|row| AuditEntryView {
            when: utc_minutes(row.occurred_at),
            actor: row.actor_label,
            action: row.action.label().to_owned(),
            detail: row.detail,
        })
        .collect();
    Ok(Some(PersonView {
        id: user.id.0,
        locked_until: user
            .locked_until
            .filter(|until| *until > now)
            .map(|until| match until {
                LOCKED_UNTIL_UNLOCKED => "Locked by an administrator until unlocked".to_owned(),
                _ => format!("Locked until {}", utc_minutes(until)),
            }),
        disabled_since: user
            .disabled_at
            .map(|at| format!("Disabled since {}", utc_minutes(at))),
        must_change_password: user.must_change_password,
        bypass_until: user
            .bypass_until
            .filter(|until| *until > now)
            .map(utc_minutes),
        blocked_since: user
            .blocked_at
            .map(|at| format!("Blocked since {}", utc_minutes(at))),
        methods,
        phones: super::phones::list(state, id).await?,
        app_passwords: super::app_passwords::list_for(state, id).await?,
        devices,
        sessions: super::sessions::live_sessions(state, id, user.session_epoch, None).await?,
        sign_ins: sign_ins
            .iter()
            .map(super::sign_in_history::describe)
            .collect(),
        audit,
        username: user.username,
        display_name: user.display_name,
        email: user.email,
        role: user.role,
        mfa_state: user.mfa_state,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str, role: &str, status: &str) -> DirectoryQuery {
        DirectoryQuery {
            q: Some(q.to_owned()),
            role: Some(role.to_owned()),
            status: Some(status.to_owned()),
            ..DirectoryQuery::default()
        }
    }

    #[test]
    fn empty_and_any_mean_no_filter_and_text_is_lowercased() {
        let parsed = parse_query(&query("  Kim ", "any", "")).unwrap();
        assert_eq!(parsed.text.as_deref(), Some("kim"));
        assert_eq!(parsed.role, None);
        assert_eq!(parsed.status, StatusFilter::Any);
        assert_eq!(parsed.registered, RegisteredFilter::Any);
    }

    #[test]
    fn unknown_words_are_refused_next_to_their_filter() {
        assert_eq!(
            parse_query(&query("", "root", "any")).unwrap_err().field,
            "role"
        );
        assert_eq!(
            parse_query(&query("", "admin", "asleep"))
                .unwrap_err()
                .field,
            "status"
        );
        let long = "x".repeat(MAX_SEARCH_CHARS + 1);
        assert_eq!(parse_query(&query(&long, "", "")).unwrap_err().field, "q");
    }
}
