//! One row of a people file: checked field by field, then compared with the account
//! of that username (if any) to say what importing it changes. The dry run and the
//! run use the same comparison, so "re-running a file changes nothing" holds.

use super::csv_file::FileRow;
use crate::domain::import::RowPlan;
use crate::domain::{EmailAddress, MfaState, PhoneNumber, PhoneType, Role, Username};
use crate::services::accounts::checked_display_name;
use crate::services::portal_settings::PortalSettings;
use crate::store::import_jobs::CurrentPerson;
use std::collections::HashMap;

/// A row whose every field is valid. Empty role, MFA state and phones leave an
/// existing account's value as it is (and give a new one the defaults).
#[derive(Clone, Debug)]
pub struct CheckedRow {
    pub username: Username,
    pub display_name: String,
    pub email: EmailAddress,
    pub role: Option<Role>,
    pub mfa_state: Option<MfaState>,
    pub mobile: Option<PhoneNumber>,
    pub office: Option<PhoneNumber>,
}

/// Checks every field of `row`; the first problem, in words the admin can act on.
pub fn check(row: &FileRow, settings: &PortalSettings) -> Result<CheckedRow, String> {
    if let Some(problem) = &row.problem {
        return Err(problem.clone());
    }
    let username = Username::parse(&row.username).map_err(|e| format!("Username: {e}"))?;
    let display_name = checked_display_name(&row.display_name)
        .ok_or("Display name: enter 1 to 100 characters.")?;
    let email = EmailAddress::parse(&row.email)
        .map_err(|_| format!("E-mail: \"{}\" is not an e-mail address.", row.email))?;
    let role = optional(&row.role, |raw| {
        Role::parse(&raw.to_lowercase())
            .ok_or_else(|| format!("Role: unknown role \"{raw}\"; use user, helpdesk or admin."))
    })?;
    let mfa_state = optional(&row.mfa_state, |raw| {
        MfaState::parse(&raw.to_lowercase()).ok_or_else(|| {
            format!("MFA state: unknown state \"{raw}\"; use disabled, enabled or enforced.")
        })
    })?;
    let mobile = optional(&row.mobile, |raw| phone(raw, PhoneType::Mobile, settings))?;
    let office = optional(&row.office, |raw| phone(raw, PhoneType::Office, settings))?;
    Ok(CheckedRow {
        username,
        display_name,
        email,
        role,
        mfa_state,
        mobile,
        office,
    })
}

fn optional<T>(
    raw: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    if raw.is_empty() {
        Ok(None)
    } else {
        parse(raw).map(Some)
    }
}

fn phone(
    raw: &str,
    phone_type: PhoneType,
    settings: &PortalSettings,
) -> Result<PhoneNumber, String> {
    let label = phone_type.label();
    if !raw.starts_with('+') {
        return Err(format!(
            "{label}: write the number with its country code, starting with + (like +31 6 12345678)."
        ));
    }
    let number = PhoneNumber::parse("", raw)
        .and_then(|n| n.check_type(phone_type).map(|()| n))
        .map_err(|e| format!("{label}: {e}"))?;
    if !settings.allows_region(number.region()) {
        return Err(format!(
            "{label}: your policy does not allow numbers from {}.",
            number.region()
        ));
    }
    Ok(number)
}

/// Marks every row whose username appears more than once in the file: which of
/// them is meant cannot be guessed, so none is imported.
pub fn mark_duplicates(rows: &mut [(FileRow, Result<CheckedRow, String>)]) {
    let mut lines: HashMap<String, Vec<i64>> = HashMap::new();
    for (row, checked) in rows.iter() {
        if let Ok(checked) = checked {
            lines
                .entry(checked.username.as_str().to_owned())
                .or_default()
                .push(row.line);
        }
    }
    for (row, checked) in rows.iter_mut() {
        let Ok(ok) = checked else { continue };
        let Some(all) = lines.get(ok.username.as_str()).filter(|l| l.len() > 1) else {
            continue;
        };
        let others: Vec<String> = all
            .iter()
            .filter(|l| **l != row.line)
            .map(i64::to_string)
            .collect();
        *checked = Err(format!(
            "Duplicate username: {} is also on line {}. Keep one row per person.",
            ok.username.as_str(),
            others.join(", ")
        ));
    }
}

/// One change importing a row makes to an existing account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    DisplayName,
    Email,
    Role(Role, Role),
    MfaState(MfaState, MfaState),
    Phone(PhoneType),
}

impl Change {
    pub fn describe(&self) -> String {
        match self {
            Change::DisplayName => "name".to_owned(),
            Change::Email => "e-mail".to_owned(),
            Change::Role(from, to) => format!("role {from} -> {to}"),
            Change::MfaState(from, to) => format!("MFA state {from} -> {to}"),
            Change::Phone(kind) => format!("{} set by the organisation", kind.label()),
        }
    }
}

/// What importing `row` does to `current` (the account of that username, if any).
pub fn changes(row: &CheckedRow, current: &CurrentPerson) -> Vec<Change> {
    let mut changes = Vec::new();
    if row.display_name != current.display_name {
        changes.push(Change::DisplayName);
    }
    if row.email.as_str() != current.email {
        changes.push(Change::Email);
    }
    if let Some(role) = row.role.filter(|r| *r != current.role) {
        changes.push(Change::Role(current.role, role));
    }
    if let Some(state) = row.mfa_state.filter(|s| *s != current.mfa_state) {
        changes.push(Change::MfaState(current.mfa_state, state));
    }
    for (number, kind, now) in [
        (&row.mobile, PhoneType::Mobile, &current.org_mobile),
        (&row.office, PhoneType::Office, &current.org_office),
    ] {
        if let Some(number) = number
            && now.as_deref() != Some(number.e164())
        {
            changes.push(Change::Phone(kind));
        }
    }
    changes
}

/// The dry run's word for a valid row.
pub fn plan(row: &CheckedRow, current: Option<&CurrentPerson>) -> RowPlan {
    match current {
        None => RowPlan::Create,
        Some(current) if changes(row, current).is_empty() => RowPlan::Unchanged,
        Some(_) => RowPlan::Update,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::UserId;

    fn row(line: i64, fields: [&str; 7]) -> FileRow {
        let [
            username,
            display_name,
            email,
            role,
            mfa_state,
            mobile,
            office,
        ] = fields;
        FileRow {
            line,
            username: username.into(),
            display_name: display_name.into(),
            email: email.into(),
            role: role.into(),
            mfa_state: mfa_state.into(),
            mobile: mobile.into(),
            office: office.into(),
            problem: None,
        }
    }

    fn problem(fields: [&str; 7]) -> String {
        check(&row(2, fields), &PortalSettings::default()).unwrap_err()
    }

    #[test]
    fn each_bad_field_is_named_with_what_is_accepted() {
        let good = [
            "erin",
            "Erin E",
            "erin@example.com",
            "Admin",
            "ENFORCED",
            "+31 6 12345678",
            "+31 20 1234567",
        ];
        let checked = check(&row(2, good), &PortalSettings::default()).unwrap();
        assert_eq!(checked.role, Some(Role::Admin));
        assert_eq!(checked.mfa_state, Some(MfaState::Enforced));
        assert!(problem(["x", "Erin", "e@example.com", "", "", "", ""]).starts_with("Username"));
        assert!(problem(["erin", "", "e@example.com", "", "", "", ""]).starts_with("Display name"));
        assert!(problem(["erin", "Erin", "nope", "", "", "", ""]).starts_with("E-mail"));
        assert!(
            problem(["erin", "Erin", "e@example.com", "boss", "", "", ""]).contains("\"boss\"")
        );
        assert!(problem(["erin", "Erin", "e@example.com", "", "on", "", ""]).contains("\"on\""));
        assert!(
            problem(["erin", "Erin", "e@example.com", "", "", "0612345678", ""])
                .starts_with("Mobile")
        );
        assert!(
            problem([
                "erin",
                "Erin",
                "e@example.com",
                "",
                "",
                "+31 20 1234567",
                ""
            ])
            .starts_with("Mobile")
        );
        let mut dutch_only = PortalSettings::default();
        dutch_only.apply("phone_regions", "NL").unwrap();
        let belgian = row(
            2,
            [
                "erin",
                "Erin",
                "e@example.com",
                "",
                "",
                "+32 470 12 34 56",
                "",
            ],
        );
        assert!(check(&belgian, &dutch_only).unwrap_err().contains("policy"));
    }

    #[test]
    fn every_row_of_a_repeated_username_is_refused() {
        let settings = PortalSettings::default();
        let mut rows: Vec<_> = [
            row(2, ["erin", "Erin", "e@example.com", "", "", "", ""]),
            row(3, ["frank", "Frank", "f@example.com", "", "", "", ""]),
            row(4, ["ERIN", "Erin again", "e2@example.com", "", "", "", ""]),
        ]
        .into_iter()
        .map(|r| {
            let checked = check(&r, &settings);
            (r, checked)
        })
        .collect();
        mark_duplicates(&mut rows);
        assert!(rows[0].1.as_ref().unwrap_err().contains("line 4"));
        assert!(rows[1].1.is_ok());
        assert!(rows[2].1.as_ref().unwrap_err().contains("line 2"));
    }

    #[test]
    fn only_what_differs_is_a_change_and_empty_fields_keep_the_value() {
        let settings = PortalSettings::default();
        let current = CurrentPerson {
            id: UserId(1),
            display_name: "Erin".into(),
            email: "e@example.com".into(),
            role: Role::User,
            mfa_state: MfaState::Enabled,
            disabled: false,
            org_mobile: Some("+31612345678".into()),
            org_office: None,
        };
        let same = check(
            &row(
                2,
                [
                    "erin",
                    "Erin",
                    "e@example.com",
                    "",
                    "",
                    "+31 6 12345678",
                    "",
                ],
            ),
            &settings,
        )
        .unwrap();
        assert_eq!(plan(&same, Some(&current)), RowPlan::Unchanged);
        assert_eq!(plan(&same, None), RowPlan::Create);
        let other = check(
            &row(
                2,
                [
                    "erin",
                    "Erin E",
                    "e@example.com",
                    "admin",
                    "enabled",
                    "",
                    "+31 20 1234567",
                ],
            ),
            &settings,
        )
        .unwrap();
        assert_eq!(
            changes(&other, &current),
            vec![
                Change::DisplayName,
                Change::Role(Role::User, Role::Admin),
                Change::Phone(PhoneType::Office)
            ]
        );
    }
}
