//! The method sign-in starts with: the person's default, unless a travel window is
//! in effect, computed from the stored rows and the clock at the moment it is asked
//! (no job has to run at a window's start or end).

use super::caller::Caller;
use super::portal_settings::{self, PortalSettings};
use super::time_format::{parse_day, start_of_day, utc_day, utc_minutes};
use crate::domain::views::{DefaultMethodView, MethodChoice, TravelWindowView};
use crate::domain::{FieldError, MethodKind, SignInMethod};
use crate::state::Services;
use crate::store::travel_windows::{self, NewTravelWindow, TravelWindowRow};
use crate::store::{UserId, methods, phones, users};
use anyhow::Context;

const MAX_TRAVEL_DAYS: i64 = 366;
const MAX_NOTE_CHARS: usize = 200;

/// What is in effect at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    pub method: Option<SignInMethod>,
    /// The travel window in effect, if any.
    pub window: Option<TravelWindowRow>,
}

/// The default at `now`: the method of the window covering `now`, else the chosen
/// default. Windows are half-open: `[starts_at, ends_at)`.
pub fn effective(chosen: Option<SignInMethod>, windows: &[TravelWindowRow], now: i64) -> Effective {
    let window = windows
        .iter()
        .find(|w| w.starts_at <= now && now < w.ends_at)
        .cloned();
    let method = window
        .as_ref()
        .and_then(|w| SignInMethod::parse(&w.method))
        .or(chosen);
    Effective { method, window }
}

/// The methods the person has and policy allows, strongest first.
pub async fn available(
    state: &Services,
    user: UserId,
    settings: &PortalSettings,
) -> anyhow::Result<Vec<SignInMethod>> {
    let rows = methods::list_active(&state.db, user).await?;
    let has_app = rows.iter().any(|m| m.kind == MethodKind::Totp);
    let phones = phones::list_active(&state.db, user).await?;
    let has_mobile = phones.iter().any(|p| p.phone_type.takes_sms());
    let has_phone = !phones.is_empty() && state.policy.phone.available;
    let has_push = super::push::has_device(state, user).await?;
    Ok(SignInMethod::ALL
        .into_iter()
        .filter(|m| match m {
            SignInMethod::AppNotification => has_push,
            SignInMethod::AppCode => has_app,
            SignInMethod::PhoneCall => has_phone,
            SignInMethod::Sms => has_phone && has_mobile,
        })
        .filter(|m| settings.allows(*m))
        .collect())
}

/// The method the second step starts with for `user` now: the effective default if
/// the person still has it, else the strongest they have.
pub async fn starting_method(
    state: &Services,
    user: UserId,
) -> anyhow::Result<(Vec<SignInMethod>, Option<SignInMethod>)> {
    let settings = portal_settings::current(state).await?;
    let have = available(state, user, &settings).await?;
    let now = state.clock.now();
    let chosen = users::default_method(&state.db, user)
        .await?
        .as_deref()
        .and_then(SignInMethod::parse);
    let windows = travel_windows::current_and_upcoming(&state.db, user, now).await?;
    let wanted = effective(chosen, &windows, now).method;
    let start = wanted
        .filter(|m| have.contains(m))
        .or_else(|| have.first().copied());
    Ok((have, start))
}

/// The Security info section: choices, what is in effect and until when, windows.
pub async fn view(state: &Services, caller: &Caller) -> anyhow::Result<DefaultMethodView> {
    let settings = portal_settings::current(state).await?;
    let have = available(state, caller.subject.id, &settings).await?;
    let now = state.clock.now();
    let chosen = users::default_method(&state.db, caller.subject.id)
        .await?
        .as_deref()
        .and_then(SignInMethod::parse);
    let windows = travel_windows::current_and_upcoming(&state.db, caller.subject.id, now).await?;
    let in_effect = effective(chosen, &windows, now);
    let fallback = have.first().copied();
    let effective_method = in_effect.method.filter(|m| have.contains(m)).or(fallback);
    let until = in_effect.window.as_ref().map(|w| utc_minutes(w.ends_at));
    Ok(DefaultMethodView {
        choices: have.iter().map(|m| choice(*m)).collect(),
        chosen: chosen.map(|m| m.as_str().to_owned()),
        effective: effective_method.map(|m| m.label().to_owned()),
        effective_until: until,
        travel_windows: windows
            .iter()
            .map(|w| TravelWindowView {
                id: w.id,
                from: utc_day(w.starts_at),
                to: utc_day(w.ends_at - 1),
                method: SignInMethod::parse(&w.method)
                    .map(|m| m.label().to_owned())
                    .unwrap_or_default(),
                note: w.note.clone(),
                active: w.starts_at <= now,
            })
            .collect(),
    })
}

pub fn choice(method: SignInMethod) -> MethodChoice {
    MethodChoice {
        value: method.as_str().to_owned(),
        label: method.label().to_owned(),
        weaker: method.is_phone(),
    }
}

fn parse_method(
    raw: &str,
    have: &[SignInMethod],
    field: &'static str,
) -> Result<SignInMethod, FieldError> {
    SignInMethod::parse(raw)
        .filter(|m| have.contains(m))
        .ok_or_else(|| FieldError::new(field, "Pick one of the methods you have set up."))
}

pub async fn set_default(
    state: &Services,
    caller: &Caller,
    method: &str,
) -> anyhow::Result<Result<SignInMethod, FieldError>> {
    caller.require_writable()?;
    let settings = portal_settings::current(state).await?;
    let have = available(state, caller.subject.id, &settings).await?;
    let method = match parse_method(method, &have, "method") {
        Ok(m) => m,
        Err(e) => return Ok(Err(e)),
    };
    users::set_default_method(state.db.pool(), caller.subject.id, method.as_str()).await?;
    Ok(Ok(method))
}

pub struct TravelInput<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub method: &'a str,
    pub note: &'a str,
}

/// Adds a trip from the first day to the last day (inclusive, UTC).
pub async fn add_travel_window(
    state: &Services,
    caller: &Caller,
    input: TravelInput<'_>,
) -> anyhow::Result<Result<i64, FieldError>> {
    caller.require_writable()?;
    let settings = portal_settings::current(state).await?;
    let have = available(state, caller.subject.id, &settings).await?;
    let now = state.clock.now();
    let checked = check_travel(&input, &have, now);
    let (starts_at, ends_at, method, note) = match checked {
        Ok(parts) => parts,
        Err(e) => return Ok(Err(e)),
    };
    let window = NewTravelWindow {
        user: caller.subject.id,
        starts_at,
        ends_at,
        method: method.as_str(),
        note: &note,
        now,
    };
    // The overlap check and the insert are one statement, but READ COMMITTED does
    // not make that atomic on PostgreSQL: hold the person's row while it runs.
    let mut tx = state.db.begin().await?;
    users::lock_row(&mut tx, caller.subject.id).await?;
    let inserted = travel_windows::insert_unless_overlapping(&mut *tx, window).await?;
    tx.commit().await.context("committing a trip")?;
    match inserted {
        Some(id) => Ok(Ok(id)),
        None => Ok(Err(FieldError::new(
            "from",
            "This trip overlaps one you already planned. Cancel that one or pick other dates.",
        ))),
    }
}

fn check_travel(
    input: &TravelInput<'_>,
    have: &[SignInMethod],
    now: i64,
) -> Result<(i64, i64, SignInMethod, String), FieldError> {
    let from = parse_day(input.from).map_err(|e| FieldError::new("from", e))?;
    let to = parse_day(input.to).map_err(|e| FieldError::new("to", e))?;
    let starts_at = start_of_day(from);
    let ends_at = start_of_day(to) + 86_400;
    let today = now - now.rem_euclid(86_400);
    if starts_at < today {
        return Err(FieldError::new(
            "from",
            "The trip cannot start in the past.",
        ));
    }
    if to < from {
        return Err(FieldError::new(
            "to",
            "The last day cannot be before the first.",
        ));
    }
    if (ends_at - starts_at) / 86_400 > MAX_TRAVEL_DAYS {
        return Err(FieldError::new("to", "A trip can last at most a year."));
    }
    let method = parse_method(input.method, have, "travel_method")?;
    let note = input.note.trim();
    if note.chars().count() > MAX_NOTE_CHARS || note.chars().any(char::is_control) {
        return Err(FieldError::new(
            "note",
            "Use at most 200 characters, on one line.",
        ));
    }
    Ok((starts_at, ends_at, method, note.to_owned()))
}

pub async fn cancel_travel_window(
    state: &Services,
    caller: &Caller,
    id: i64,
) -> anyhow::Result<bool> {
    caller.require_writable()?;
    travel_windows::cancel(&state.db, caller.subject.id, id, state.clock.now()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    fn window(id: i64, starts_at: i64, ends_at: i64, method: SignInMethod) -> TravelWindowRow {
        TravelWindowRow {
            id,
            starts_at,
            ends_at,
            method: method.as_str().to_owned(),
            note: String::new(),
        }
    }

    #[test]
    fn a_window_switches_the_default_at_its_start_and_back_at_its_end() {
        let trip = [window(1, 10 * DAY, 17 * DAY, SignInMethod::AppCode)];
        let home = Some(SignInMethod::Sms);
        assert_eq!(effective(home, &trip, 10 * DAY - 1).method, home);
        let during = effective(home, &trip, 10 * DAY);
        assert_eq!(during.method, Some(SignInMethod::AppCode));
        assert_eq!(during.window.map(|w| w.id), Some(1));
        assert_eq!(
            effective(home, &trip, 17 * DAY - 1).method,
            Some(SignInMethod::AppCode)
        );
        let after = effective(home, &trip, 17 * DAY);
        assert_eq!(after.method, home);
        assert_eq!(after.window, None);
    }

    #[test]
    fn back_to_back_windows_hand_over_exactly_at_the_boundary() {
        let trips = [
            window(1, 10 * DAY, 12 * DAY, SignInMethod::AppCode),
            window(2, 12 * DAY, 14 * DAY, SignInMethod::PhoneCall),
        ];
        assert_eq!(
            effective(None, &trips, 12 * DAY - 1).method,
            Some(SignInMethod::AppCode)
        );
        assert_eq!(
            effective(None, &trips, 12 * DAY).method,
            Some(SignInMethod::PhoneCall)
        );
        assert_eq!(effective(None, &trips, 14 * DAY).method, None);
    }

    #[test]
    fn travel_input_is_checked_field_by_field() {
        let have = [SignInMethod::AppCode, SignInMethod::Sms];
        let now = 20_000 * DAY + 3_600;
        let input = |from, to, method| TravelInput {
            from,
            to,
            method,
            note: "",
        };
        let field = |r: Result<(i64, i64, SignInMethod, String), FieldError>| {
            r.err().map(|e| e.field.to_owned())
        };
        let today = utc_day(now);
        let ok = check_travel(&input(&today, &today, "app_code"), &have, now).unwrap();
        assert_eq!(ok.1 - ok.0, DAY);
        assert_eq!(
            field(check_travel(
                &input("2020-01-01", &today, "app_code"),
                &have,
                now
            )),
            Some("from".into())
        );
        assert_eq!(
            field(check_travel(&input(&today, "soon", "app_code"), &have, now)),
            Some("to".into())
        );
        assert_eq!(
            field(check_travel(
                &input(&today, &today, "phone_call"),
                &have,
                now
            )),
            Some("travel_method".into())
        );
        let later = utc_day(now + 3 * DAY);
        assert_eq!(
            field(check_travel(&input(&later, &today, "sms"), &have, now)),
            Some("to".into())
        );
    }
}
