//! The `import_jobs` and `import_rows` tables: uploaded people files, their dry run,
//! and the import worker's progress through them.

use super::{Db, Exec, Tx, UserId};
use crate::domain::import::{ImportStatus, RowOutcome, RowPlan};
use crate::domain::{MfaState, Role};
use anyhow::Context;

/// Rows per multi-row INSERT: 11 values each, well under both engines' limits.
const INSERT_CHUNK: usize = 400;
/// Usernames per lookup.
const LOOKUP_CHUNK: usize = 500;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub file_name: String,
    pub uploaded_by: String,
    pub uploaded_at: i64,
    pub status: ImportStatus,
    pub problem: Option<String>,
    pub total_rows: i64,
    pub invalid_rows: i64,
    pub started_by_id: Option<i64>,
    pub started_by: Option<String>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub processed_rows: i64,
    pub created_count: i64,
    pub updated_count: i64,
    pub unchanged_count: i64,
    pub failed_count: i64,
}

const JOB_COLUMNS: &str = "id, file_name, uploaded_by, uploaded_at, status, problem, total_rows, \
    invalid_rows, started_by_id, started_by, started_at, finished_at, processed_rows, \
    created_count, updated_count, unchanged_count, failed_count";

pub struct NewJob<'a> {
    pub file_name: &'a str,
    pub uploaded_by: &'a str,
    pub now: i64,
    pub status: ImportStatus,
    pub problem: Option<&'a str>,
    pub total_rows: i64,
    pub invalid_rows: i64,
}

pub async fn insert_job<'e>(exec: impl Exec<'e>, job: NewJob<'_>) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO import_jobs (file_name, uploaded_by, uploaded_at, status, problem, \
         total_rows, invalid_rows) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(job.file_name)
    .bind(job.uploaded_by)
    .bind(job.now)
    .bind(job.status)
    .bind(job.problem)
    .bind(job.total_rows)
    .bind(job.invalid_rows)
    .fetch_one(exec)
    .await
    .context("storing an import job")
}

/// A row as the file held it, with the dry run's finding.
pub struct NewRow<'a> {
    pub line: i64,
    pub fields: [&'a str; 7],
    pub problem: Option<&'a str>,
    pub planned: Option<RowPlan>,
}

pub async fn insert_rows(tx: &mut Tx, job_id: i64, rows: &[NewRow<'_>]) -> anyhow::Result<()> {
    for chunk in rows.chunks(INSERT_CHUNK) {
        let mut sql = String::from(
            "INSERT INTO import_rows (job_id, line, username, display_name, email, role, \
             mfa_state, mobile, office, problem, planned) VALUES ",
        );
        for (n, _) in chunk.iter().enumerate() {
            let at = n * 11;
            let marks: Vec<String> = (1..=11).map(|k| format!("${}", at + k)).collect();
            if n > 0 {
                sql.push(',');
            }
            sql.push('(');
            sql.push_str(&marks.join(","));
            sql.push(')');
        }
        let mut query = sqlx::query(&sql);
        for row in chunk {
            query = query.bind(job_id).bind(row.line);
            for field in row.fields {
                query = query.bind(field);
            }
            query = query.bind(row.problem).bind(row.planned);
        }
        query
            .execute(&mut **tx)
            .await
            .context("storing the rows of an import")?;
    }
    Ok(())
}

pub async fn job(db: &Db, id: i64) -> anyhow::Result<Option<JobRow>> {
    let sql = format!("SELECT {JOB_COLUMNS} FROM import_jobs WHERE id = $1");
    sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .context("reading an import job")
}

/// The latest jobs, newest first.
pub async fn recent_jobs(db: &Db, limit: i64) -> anyhow::Result<Vec<JobRow>> {
    let sql = format!("SELECT {JOB_COLUMNS} FROM import_jobs ORDER BY id DESC LIMIT $1");
    sqlx::query_as(&sql)
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .context("listing import jobs")
}

/// How many valid rows the dry run expects to create, update and leave alone.
pub async fn planned_counts(db: &Db, job_id: i64) -> anyhow::Result<Vec<(RowPlan, i64)>> {
    sqlx::query_as(
        "SELECT planned, COUNT(*) FROM import_rows WHERE job_id = $1 AND planned IS NOT NULL \
         GROUP BY planned",
    )
    .bind(job_id)
    .fetch_all(db.pool())
    .await
    .context("counting an import's plan")
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoredRow {
    pub line: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub mfa_state: String,
    pub mobile: String,
    pub office: String,
    pub problem: Option<String>,
    pub planned: Option<RowPlan>,
    pub outcome: Option<RowOutcome>,
    pub detail: Option<String>,
}

const ROW_COLUMNS: &str = "line, username, display_name, email, role, mfa_state, mobile, office, \
    problem, planned, outcome, detail";

/// The first `limit` rows with a problem, in file order.
pub async fn problem_rows(db: &Db, job_id: i64, limit: i64) -> anyhow::Result<Vec<StoredRow>> {
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM import_rows WHERE job_id = $1 AND problem IS NOT NULL \
         ORDER BY line LIMIT $2"
    );
    sqlx::query_as(&sql)
        .bind(job_id)
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .context("listing an import's problems")
}

/// Rows after `after_line`, in file order (the result file, a page at a time).
pub async fn rows_after(
    db: &Db,
    job_id: i64,
    after_line: i64,
    limit: i64,
) -> anyhow::Result<Vec<StoredRow>> {
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM import_rows WHERE job_id = $1 AND line > $2 \
         ORDER BY line LIMIT $3"
    );
    sqlx::query_as(&sql)
        .bind(job_id)
        .bind(after_line)
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .context("reading an import's rows")
}

/// Moves a checked job to running, once: of two admins pressing "Run" together one
/// starts it and the other is told it already runs.
pub async fn start<'e>(
    exec: impl Exec<'e>,
    job_id: i64,
    admin: UserId,
    admin_label: &str,
    now: i64,
) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "UPDATE import_jobs SET status = 'running', started_by_id = $2, started_by = $3, \
         started_at = $4 WHERE id = $1 AND status = 'checked'",
    )
    .bind(job_id)
    .bind(admin.0)
    .bind(admin_label)
    .bind(now)
    .execute(exec)
    .await
    .context("starting an import")?;
    Ok(result.rows_affected() == 1)
}

/// Takes a running job no live worker holds, for `owner` until `lease_until`. The
/// condition is repeated on the row itself, so two workers never take one job.
pub async fn claim_running(
    db: &Db,
    owner: &str,
    now: i64,
    lease_until: i64,
) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar(
        "UPDATE import_jobs SET lease_owner = $1, lease_until = $3 \
         WHERE id = (SELECT id FROM import_jobs WHERE status = 'running' \
                     AND (lease_until IS NULL OR lease_until < $2) ORDER BY id LIMIT 1) \
         AND status = 'running' AND (lease_until IS NULL OR lease_until < $2) RETURNING id",
    )
    .bind(owner)
    .bind(now)
    .bind(lease_until)
    .fetch_optional(db.pool())
    .await
    .context("claiming an import job")
}

/// Renews `owner`'s lease at the start of a batch (and locks the job row for it);
/// `None` when the job is no longer this worker's or no longer running.
pub async fn renew_lease(
    tx: &mut Tx,
    job_id: i64,
    owner: &str,
    lease_until: i64,
) -> anyhow::Result<Option<JobRow>> {
    let sql = format!(
        "UPDATE import_jobs SET lease_until = $3 WHERE id = $1 AND lease_owner = $2 \
         AND status = 'running' RETURNING {JOB_COLUMNS}"
    );
    sqlx::query_as(&sql)
        .bind(job_id)
        .bind(owner)
        .bind(lease_until)
        .fetch_optional(&mut **tx)
        .await
        .context("renewing an import lease")
}

/// The next rows the run has not done, in file order.
pub async fn next_rows(tx: &mut Tx, job_id: i64, limit: i64) -> anyhow::Result<Vec<StoredRow>> {
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM import_rows WHERE job_id = $1 AND outcome IS NULL \
         ORDER BY line LIMIT $2"
    );
    sqlx::query_as(&sql)
        .bind(job_id)
        .bind(limit)
        .fetch_all(&mut **tx)
        .await
        .context("reading the next import rows")
}

pub async fn set_outcome(
    tx: &mut Tx,
    job_id: i64,
    line: i64,
    outcome: RowOutcome,
    detail: &str,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE import_rows SET outcome = $3, detail = $4 WHERE job_id = $1 AND line = $2")
        .bind(job_id)
        .bind(line)
        .bind(outcome)
        .bind(detail)
        .execute(&mut **tx)
        .await
        .context("recording an import row's outcome")?;
    Ok(())
}

/// What one batch did, added to the job's counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub failed: i64,
}

impl Counts {
    pub fn add(&mut self, outcome: RowOutcome) {
        match outcome {
            RowOutcome::Created => self.created += 1,
            RowOutcome::Updated => self.updated += 1,
            RowOutcome::Unchanged => self.unchanged += 1,
            RowOutcome::Failed => self.failed += 1,
        }
    }

    pub fn total(&self) -> i64 {
        self.created + self.updated + self.unchanged + self.failed
    }
}

pub async fn add_counts(tx: &mut Tx, job_id: i64, counts: Counts) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE import_jobs SET processed_rows = processed_rows + $2, \
         created_count = created_count + $3, updated_count = updated_count + $4, \
         unchanged_count = unchanged_count + $5, failed_count = failed_count + $6 WHERE id = $1",
    )
    .bind(job_id)
    .bind(counts.total())
    .bind(counts.created)
    .bind(counts.updated)
    .bind(counts.unchanged)
    .bind(counts.failed)
    .execute(&mut **tx)
    .await
    .context("counting an import's progress")?;
    Ok(())
}

pub async fn finish(tx: &mut Tx, job_id: i64, now: i64) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE import_jobs SET status = 'finished', finished_at = $2, lease_owner = NULL, \
         lease_until = NULL WHERE id = $1",
    )
    .bind(job_id)
    .bind(now)
    .execute(&mut **tx)
    .await
    .context("finishing an import")?;
    Ok(())
}

/// The account of a username as an import compares it: profile, role, MFA state and
/// the active phones the organisation set.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CurrentPerson {
    pub id: UserId,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub mfa_state: MfaState,
    #[sqlx(try_from = "super::Flag")]
    pub disabled: bool,
    pub org_mobile: Option<String>,
    pub org_office: Option<String>,
}

#[derive(sqlx::FromRow)]
struct CurrentPersonRow {
    username: String,
    #[sqlx(flatten)]
    person: CurrentPerson,
}

fn org_phone(kind: &str) -> String {
    format!(
        "(SELECT p.e164 FROM phone_numbers p JOIN mfa_methods m ON m.id = p.method_id \
          WHERE p.user_id = u.id AND p.phone_type = '{kind}' AND p.set_by_org = 1 \
          AND m.status = 'active' ORDER BY m.id DESC LIMIT 1)"
    )
}

/// The accounts of `usernames` (as stored: normalised), by username.
pub async fn current_people(
    conn: &mut sqlx::AnyConnection,
    usernames: &[&str],
) -> anyhow::Result<Vec<(String, CurrentPerson)>> {
    let mut found = Vec::with_capacity(usernames.len());
    for chunk in usernames.chunks(LOOKUP_CHUNK) {
        let marks: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT u.username, u.id, u.display_name, u.email, u.role, u.mfa_state, \
             CASE WHEN u.disabled_at IS NULL THEN 0 ELSE 1 END AS disabled, \
             {} AS org_mobile, {} AS org_office FROM users u WHERE u.username IN ({})",
            org_phone("mobile"),
            org_phone("office"),
            marks.join(",")
        );
        let mut query = sqlx::query_as::<_, CurrentPersonRow>(&sql);
        for name in chunk {
            query = query.bind(*name);
        }
        let rows = query
            .fetch_all(&mut *conn)
            .await
            .context("looking up the people of an import")?;
        found.extend(rows.into_iter().map(|r| (r.username, r.person)));
    }
    Ok(found)
}
