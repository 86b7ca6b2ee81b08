//! Bulk imports of people from CSV as the admin pages show them.

use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// Where an uploaded file stands.
    pub enum ImportStatus {
        /// The file itself could not be read (no header, not UTF-8, too many rows).
        Rejected = "rejected",
        /// Dry run done: every row checked, nothing changed yet.
        Checked = "checked",
        Running = "running",
        Finished = "finished",
    }
}

crate::text_enum! {
    /// What the run did with one row.
    pub enum RowOutcome {
        Created = "created",
        Updated = "updated",
        Unchanged = "unchanged",
        Failed = "failed",
    }
}

crate::text_enum! {
    /// What the dry run expects the run to do with a row without problems.
    pub enum RowPlan {
        Create = "create",
        Update = "update",
        Unchanged = "unchanged",
    }
}

/// How far a job has come: what the progress bar shows, polled while it runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub status: ImportStatus,
    pub total_rows: i64,
    pub processed_rows: i64,
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub failed: i64,
}

/// One uploaded file in the list of imports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJobSummary {
    pub id: i64,
    pub file_name: String,
    pub uploaded_by: String,
    /// "2026-12-02 10:00" (UTC).
    pub uploaded_at: String,
    pub progress: ImportProgress,
    /// Why the file could not be read, for a rejected upload.
    pub problem: Option<String>,
}

/// A row the dry run found a problem with, shown next to what it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// The line of the file (the header is line 1).
    pub line: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub problem: String,
}

/// One job's page: the dry run's findings, then the run's progress and result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJobView {
    pub job: ImportJobSummary,
    pub will_create: i64,
    pub will_update: i64,
    pub will_stay: i64,
    /// The first rows with problems, in file order.
    pub problems: Vec<RowProblem>,
    /// Rows with problems beyond those listed (all are in the downloadable result).
    pub more_problems: i64,
    pub started_by: Option<String>,
    pub finished_at: Option<String>,
}
