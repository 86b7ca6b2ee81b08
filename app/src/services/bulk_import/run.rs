//! The run: the import worker takes a running job under a lease and applies its rows
//! a batch at a time. Each batch (its rows' changes, their audit entries, their
//! outcomes and the job's counters) lands in one transaction, so a crash repeats at
//! most the batch it was in, and repeating a row changes nothing.

use super::csv_file::FileRow;
use super::row_plan::{self, Change, CheckedRow};
use crate::domain::import::RowOutcome;
use crate::domain::{AuditAction, PhoneNumber, PhoneType, Role, SignInMethod};
use crate::services::audit::{self, Actor, AuditRecord};
use crate::services::passwords::NO_PASSWORD_YET;
use crate::services::portal_settings;
use crate::state::Services;
use crate::store::account_controls::{self, Profile};
use crate::store::import_jobs::{self, Counts, CurrentPerson, JobRow, StoredRow};
use crate::store::phones::{self, NewPhone};
use crate::store::users::{self, NewUser};
use crate::store::{Tx, UserId};
use anyhow::Context;
use std::collections::HashMap;

/// Rows per transaction: small enough that others' writes wait only briefly.
const BATCH_ROWS: i64 = 250;
/// A worker renews its lease with every batch; one that stops loses the job after.
const LEASE_SECS: i64 = 60;

/// Takes the oldest running job no live worker holds.
pub async fn claim_job(state: &Services, owner: &str) -> anyhow::Result<Option<i64>> {
    let now = state.clock.now();
    import_jobs::claim_running(&state.db, owner, now, now + LEASE_SECS).await
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchDone {
    /// Rows remain.
    More,
    Finished,
    /// Another worker holds the job now, or it is not running.
    NotOurs,
}

/// Applies the job's next batch of rows.
pub async fn run_batch(state: &Services, job_id: i64, owner: &str) -> anyhow::Result<BatchDone> {
    let now = state.clock.now();
    let settings = portal_settings::current(state).await?;
    let mut tx = state.db.begin().await?;
    let Some(job) = import_jobs::renew_lease(&mut tx, job_id, owner, now + LEASE_SECS).await?
    else {
        return Ok(BatchDone::NotOurs);
    };
    let actor = Actor::User {
        id: UserId(
            job.started_by_id
                .context("a running import without its admin")?,
        ),
        username: job.started_by.clone().unwrap_or_default(),
    };
    let rows = import_jobs::next_rows(&mut tx, job_id, BATCH_ROWS).await?;
    if rows.is_empty() {
        import_jobs::finish(&mut tx, job_id, now).await?;
        let detail = format!(
            "import {job_id} of {}: {} created, {} updated, {} unchanged, {} failed",
            job.file_name,
            job.created_count,
            job.updated_count,
            job.unchanged_count,
            job.failed_count
        );
        let record = AuditRecord {
            actor: &actor,
            subject: None,
            action: AuditAction::ImportFinished,
            detail: &detail,
            ip: None,
        };
        audit::record(&mut *tx, now, record).await?;
        tx.commit().await.context("committing an import's end")?;
        return Ok(BatchDone::Finished);
    }
    let checked: Vec<(StoredRow, Result<CheckedRow, String>)> = rows
        .into_iter()
        .map(|row| {
            // The dry run's problems stand (duplicates span the file); the rest is
            // checked again against the policy as it is now.
            let result = match &row.problem {
                Some(problem) => Err(problem.clone()),
                None => row_plan::check(&file_row(&row), &settings),
            };
            (row, result)
        })
        .collect();
    let usernames: Vec<&str> = checked
        .iter()
        .filter_map(|(_, c)| c.as_ref().ok().map(|c| c.username.as_str()))
        .collect();
    let mut current: HashMap<String, CurrentPerson> =
        import_jobs::current_people(&mut tx, &usernames)
            .await?
            .into_iter()
            .collect();
    let context = RowContext {
        job: &job,
        actor: &actor,
        default_mfa_state: state.policy.default_mfa_state,
        now,
    };
    let mut counts = Counts::default();
    for (row, result) in &checked {
        let (outcome, detail) = match result {
            Err(problem) => (RowOutcome::Failed, problem.clone()),
            Ok(person) => {
                let existing = current.remove(person.username.as_str());
                apply(&mut tx, &context, person, existing).await?
            }
        };
        import_jobs::set_outcome(&mut tx, job_id, row.line, outcome, &detail).await?;
        counts.add(outcome);
    }
    import_jobs::add_counts(&mut tx, job_id, counts).await?;
    tx.commit().await.context("committing an import batch")?;
    Ok(BatchDone::More)
}

fn file_row(row: &StoredRow) -> FileRow {
    FileRow {
        line: row.line,
        username: row.username.clone(),
        display_name: row.display_name.clone(),
        email: row.email.clone(),
        role: row.role.clone(),
        mfa_state: row.mfa_state.clone(),
        mobile: row.mobile.clone(),
        office: row.office.clone(),
        problem: None,
    }
}

struct RowContext<'a> {
    job: &'a JobRow,
    actor: &'a Actor,
    default_mfa_state: crate::domain::MfaState,
    now: i64,
}

impl RowContext<'_> {
    async fn record(&self, tx: &mut Tx, user: UserId, what: &str) -> anyhow::Result<()> {
        let detail = format!("{what} (import {} of {})", self.job.id, self.job.file_name);
        let record = AuditRecord {
            actor: self.actor,
            subject: Some(user),
            action: AuditAction::UserImported,
            detail: &detail,
            ip: None,
        };
        audit::record(&mut **tx, self.now, record).await
    }
}

async fn apply(
    tx: &mut Tx,
    context: &RowContext<'_>,
    row: &CheckedRow,
    existing: Option<CurrentPerson>,
) -> anyhow::Result<(RowOutcome, String)> {
    if let Some(current) = existing {
        return update(tx, context, row, &current).await;
    }
    let role = row.role.unwrap_or(Role::User);
    let mfa_state = row.mfa_state.unwrap_or(context.default_mfa_state);
    let new = NewUser {
        username: &row.username,
        display_name: &row.display_name,
        email: &row.email,
        password_hash: NO_PASSWORD_YET,
        role,
        mfa_state,
        must_change_password: true,
        now: context.now,
    };
    let Some(id) = users::insert(&mut **tx, new).await? else {
        // Created by someone else since the batch looked: compare with that account.
        let (_, current) = import_jobs::current_people(tx, &[row.username.as_str()])
            .await?
            .pop()
            .context("a username taken and then gone")?;
        return update(tx, context, row, &current).await;
    };
    let mut made = vec![format!("role {role}"), format!("MFA state {mfa_state}")];
    for (number, kind) in phones_of(row) {
        set_phone(tx, context.now, id, number, kind).await?;
        made.push(format!("{} {}", kind.label(), number.international()));
    }
    if let Some(first) = first_default(row) {
        users::set_default_method(&mut **tx, id, first.as_str()).await?;
    }
    let detail = format!("created: {}", made.join(", "));
    context.record(tx, id, &detail).await?;
    Ok((RowOutcome::Created, detail))
}

async fn update(
    tx: &mut Tx,
    context: &RowContext<'_>,
    row: &CheckedRow,
    current: &CurrentPerson,
) -> anyhow::Result<(RowOutcome, String)> {
    let changes = row_plan::changes(row, current);
    if changes.is_empty() {
        return Ok((RowOutcome::Unchanged, String::new()));
    }
    let role = row.role.unwrap_or(current.role);
    if current.role == Role::Admin && role != Role::Admin && !current.disabled {
        account_controls::lock_admins(tx).await?;
        if account_controls::other_active_admins(tx, current.id).await? == 0 {
            let reason = "The last active administrator keeps the admin role; make someone \
                          else an administrator first.";
            return Ok((RowOutcome::Failed, reason.to_owned()));
        }
    }
    // What can refuse the row comes before any write, so a refused row changes nothing.
    for change in &changes {
        if let Change::MfaState(from, to) = change
            && !users::replace_mfa_state(&mut **tx, current.id, *from, *to).await?
        {
            return Ok((
                RowOutcome::Failed,
                "The MFA state changed while importing; run the file again.".to_owned(),
            ));
        }
    }
    let profile_changes = changes
        .iter()
        .any(|c| matches!(c, Change::DisplayName | Change::Email | Change::Role(..)));
    if profile_changes {
        let profile = Profile {
            display_name: &row.display_name,
            email: &row.email,
            role,
        };
        account_controls::set_profile(&mut **tx, current.id, &profile).await?;
    }
    let mut phone_set = false;
    for (number, kind) in phones_of(row) {
        if changes.contains(&Change::Phone(kind)) {
            set_phone(tx, context.now, current.id, number, kind).await?;
            phone_set = true;
        }
    }
    if phone_set && let Some(first) = first_default(row) {
        users::set_default_method_if_unset(&mut **tx, current.id, first.as_str()).await?;
    }
    let described: Vec<String> = changes.iter().map(Change::describe).collect();
    let detail = format!("updated: {}", described.join(", "));
    context.record(tx, current.id, &detail).await?;
    Ok((RowOutcome::Updated, detail))
}

fn phones_of(row: &CheckedRow) -> impl Iterator<Item = (&PhoneNumber, PhoneType)> {
    [
        (row.mobile.as_ref(), PhoneType::Mobile),
        (row.office.as_ref(), PhoneType::Office),
    ]
    .into_iter()
    .filter_map(|(number, kind)| number.map(|n| (n, kind)))
}

/// Texts when the row has a mobile, else calls to the office phone.
fn first_default(row: &CheckedRow) -> Option<SignInMethod> {
    if row.mobile.is_some() {
        Some(SignInMethod::Sms)
    } else {
        row.office.as_ref().map(|_| SignInMethod::PhoneCall)
    }
}

async fn set_phone(
    tx: &mut Tx,
    now: i64,
    user: UserId,
    number: &PhoneNumber,
    kind: PhoneType,
) -> anyhow::Result<()> {
    let phone = NewPhone {
        user,
        name: kind.label(),
        phone_type: kind,
        e164: number.e164(),
        international: number.international(),
        region: number.region(),
        set_by_org: true,
        now,
        pending_until: None,
    };
    phones::replace_by_organisation(tx, phone).await?;
    Ok(())
}
