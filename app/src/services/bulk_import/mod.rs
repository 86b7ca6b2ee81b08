//! Bulk import of people from a CSV file. Uploading checks every row at once (the
//! dry run: nothing changes, each row's problem is listed next to it); an admin
//! whose verification is recent then runs it, and the import worker works through
//! the rows a batch at a time, recording each row's outcome and the job's progress
//! in the database, so the progress bar survives a reload and even a restart.
//! Importing compares each row with the account of its username: re-running a file
//! changes nothing. Imported accounts have no password until an admin resets it.

mod csv_file;
mod result_file;
mod row_plan;
mod run;

pub use csv_file::{COLUMN_NAMES, MAX_ROWS};
pub use result_file::result_csv;
pub use run::{BatchDone, claim_job, run_batch};

use super::audit::{self, AuditRecord};
use super::caller::{Admin, Verified};
use super::portal_settings;
use super::time_format::utc_minutes;
use crate::domain::AuditAction;
use crate::domain::import::{
    ImportJobSummary, ImportJobView, ImportProgress, ImportStatus, RowPlan, RowProblem,
};
use crate::state::Services;
use crate::store::import_jobs::{self, JobRow, NewJob, NewRow};
use anyhow::Context;
use std::collections::HashMap;

/// Largest file accepted: 50,000 rows of generous width.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Problem rows shown on the job's page; the rest are in the result file.
const PROBLEMS_SHOWN: i64 = 200;
/// Imports listed on the import page.
const RECENT_JOBS: i64 = 20;

/// Reads and checks an uploaded file and stores it as a job: "checked" with every
/// row's finding, or "rejected" with the reason the file cannot be read. Changes no
/// account. Returns the job's id.
pub async fn check_file(
    state: &Services,
    admin: &Admin,
    file_name: &str,
    bytes: &[u8],
) -> anyhow::Result<i64> {
    let rows = match csv_file::read(bytes) {
        Ok(rows) => rows,
        Err(problem) => return rejected(state, admin, file_name, &problem).await,
    };
    let file_name = shown_file_name(file_name);
    let uploaded_by = admin.actor.username.clone();
    let now = state.clock.now();
    let settings = portal_settings::current(state).await?;
    let mut checked: Vec<_> = rows
        .into_iter()
        .map(|row| {
            let result = row_plan::check(&row, &settings);
            (row, result)
        })
        .collect();
    row_plan::mark_duplicates(&mut checked);
    let usernames: Vec<&str> = checked
        .iter()
        .filter_map(|(_, c)| c.as_ref().ok().map(|c| c.username.as_str()))
        .collect();
    let mut conn = state.db.pool().acquire().await.context("a connection")?;
    let current: HashMap<String, _> = import_jobs::current_people(&mut conn, &usernames)
        .await?
        .into_iter()
        .collect();
    drop(conn);
    let findings: Vec<(Option<String>, Option<RowPlan>)> = checked
        .iter()
        .map(|(_, result)| match result {
            Err(problem) => (Some(problem.clone()), None),
            Ok(row) => (
                None,
                Some(row_plan::plan(row, current.get(row.username.as_str()))),
            ),
        })
        .collect();
    let new_rows: Vec<NewRow<'_>> = checked
        .iter()
        .zip(&findings)
        .map(|((row, _), (problem, planned))| NewRow {
            line: row.line,
            fields: [
                &row.username,
                &row.display_name,
                &row.email,
                &row.role,
                &row.mfa_state,
                &row.mobile,
                &row.office,
            ],
            problem: problem.as_deref(),
            planned: *planned,
        })
        .collect();
    let invalid = findings.iter().filter(|(p, _)| p.is_some()).count();
    let mut tx = state.db.begin().await?;
    let job = NewJob {
        file_name: &file_name,
        uploaded_by: &uploaded_by,
        now,
        status: ImportStatus::Checked,
        problem: None,
        total_rows: i64::try_from(new_rows.len())?,
        invalid_rows: i64::try_from(invalid)?,
    };
    let job_id = import_jobs::insert_job(&mut *tx, job).await?;
    import_jobs::insert_rows(&mut tx, job_id, &new_rows).await?;
    tx.commit().await.context("committing a checked import")?;
    Ok(job_id)
}

/// Records an upload whose file could not be read at all, with the reason.
pub async fn reject_upload(state: &Services, admin: &Admin, problem: &str) -> anyhow::Result<i64> {
    rejected(state, admin, "", problem).await
}

async fn rejected(
    state: &Services,
    admin: &Admin,
    file_name: &str,
    problem: &str,
) -> anyhow::Result<i64> {
    let job = NewJob {
        file_name: &shown_file_name(file_name),
        uploaded_by: &admin.actor.username,
        now: state.clock.now(),
        status: ImportStatus::Rejected,
        problem: Some(problem),
        total_rows: 0,
        invalid_rows: 0,
    };
    import_jobs::insert_job(state.db.pool(), job).await
}

/// The file's own name, without folders or control characters, for the lists.
fn shown_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    if clean.trim().is_empty() {
        "people.csv".to_owned()
    } else {
        clean
    }
}

fn progress(job: &JobRow) -> ImportProgress {
    ImportProgress {
        status: job.status,
        total_rows: job.total_rows,
        processed_rows: job.processed_rows,
        created: job.created_count,
        updated: job.updated_count,
        unchanged: job.unchanged_count,
        failed: job.failed_count,
    }
}

fn summary(job: &JobRow) -> ImportJobSummary {
    ImportJobSummary {
        id: job.id,
        file_name: job.file_name.clone(),
        uploaded_by: job.uploaded_by.clone(),
        uploaded_at: utc_minutes(job.uploaded_at),
        progress: progress(job),
        problem: job.problem.clone(),
    }
}

pub async fn recent(state: &Services, _admin: &Admin) -> anyhow::Result<Vec<ImportJobSummary>> {
    let jobs = import_jobs::recent_jobs(&state.db, RECENT_JOBS).await?;
    Ok(jobs.iter().map(summary).collect())
}

pub async fn job_view(
    state: &Services,
    _admin: &Admin,
    job_id: i64,
) -> anyhow::Result<Option<ImportJobView>> {
    let Some(job) = import_jobs::job(&state.db, job_id).await? else {
        return Ok(None);
    };
    let planned = import_jobs::planned_counts(&state.db, job_id).await?;
    let count = |plan: RowPlan| {
        planned
            .iter()
            .find(|(p, _)| *p == plan)
            .map_or(0, |(_, n)| *n)
    };
    let problems: Vec<RowProblem> = import_jobs::problem_rows(&state.db, job_id, PROBLEMS_SHOWN)
        .await?
        .into_iter()
        .map(|row| RowProblem {
            line: row.line,
            username: row.username,
            display_name: row.display_name,
            email: row.email,
            problem: row.problem.unwrap_or_default(),
        })
        .collect();
    let shown = i64::try_from(problems.len())?;
    Ok(Some(ImportJobView {
        will_create: count(RowPlan::Create),
        will_update: count(RowPlan::Update),
        will_stay: count(RowPlan::Unchanged),
        more_problems: (job.invalid_rows - shown).max(0),
        problems,
        started_by: job.started_by.clone(),
        finished_at: job.finished_at.map(utc_minutes),
        job: summary(&job),
    }))
}

pub async fn job_progress(
    state: &Services,
    _admin: &Admin,
    job_id: i64,
) -> anyhow::Result<Option<ImportProgress>> {
    Ok(import_jobs::job(&state.db, job_id)
        .await?
        .as_ref()
        .map(progress))
}

/// Why a job was not started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartRefusal {
    NoSuchImport,
    /// Rejected, already running or finished: a checked job runs once.
    NotWaiting,
}

/// Starts a checked job (once) for the worker, under the admin's name.
pub async fn start(
    state: &Services,
    admin: &Verified<Admin>,
    job_id: i64,
    ip: &str,
) -> anyhow::Result<Result<(), StartRefusal>> {
    let Some(job) = import_jobs::job(&state.db, job_id).await? else {
        return Ok(Err(StartRefusal::NoSuchImport));
    };
    let now = state.clock.now();
    let actor = admin.audit_actor();
    let mut tx = state.db.begin().await?;
    let (id, name) = (admin.actor.id, admin.actor.username.as_str());
    if !import_jobs::start(&mut *tx, job_id, id, name, now).await? {
        return Ok(Err(StartRefusal::NotWaiting));
    }
    let detail = format!(
        "import {job_id} of {}: {} rows, {} with problems",
        job.file_name, job.total_rows, job.invalid_rows
    );
    let record = AuditRecord {
        actor: &actor,
        subject: None,
        action: AuditAction::ImportStarted,
        detail: &detail,
        ip: Some(ip),
    };
    audit::record(&mut *tx, now, record).await?;
    tx.commit().await.context("committing an import's start")?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::shown_file_name;

    #[test]
    fn file_names_lose_folders_and_control_characters() {
        assert_eq!(shown_file_name("C:\\Users\\erin\\people.csv"), "people.csv");
        assert_eq!(shown_file_name("../../etc/x\u{7}.csv"), "x.csv");
        assert_eq!(shown_file_name(""), "people.csv");
    }
}
