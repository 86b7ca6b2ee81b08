//! `/admin/import`: upload a people file (checked at once, nothing changes until it
//! is run) and the recent imports. A plain form post, so it works without script.

use crate::api::import::admin_imports;
use crate::components::{AdminNav, AreaLayout, Loaded, PortalLayout};
use crate::domain::Role;
use crate::domain::import::{ImportJobSummary, ImportStatus};
use leptos::prelude::*;
use leptos_meta::Title;

pub const IMPORT_PATH: &str = "/admin/import";
const UPLOAD_PATH: &str = "/admin/import/upload";

pub fn job_path(id: i64) -> String {
    format!("{IMPORT_PATH}/{id}")
}

#[component]
pub fn AdminImportPage() -> impl IntoView {
    let jobs = Resource::new(|| (), |_| admin_imports());
    view! {
        <Title text="Import people · Admin" />
        <PortalLayout required=Role::Admin>
            <AreaLayout area="Admin" summary="Users, MFA states and account safety across the portal.">
                <AdminNav />
                <h1>"Import people"</h1>
                <UploadForm problem=None />
                <Loaded data=jobs then=|jobs| view! { <RecentImports jobs /> } />
            </AreaLayout>
        </PortalLayout>
    }
}

/// The upload form, with the reason the last file was refused next to the field.
#[component]
pub fn UploadForm(problem: Option<String>) -> impl IntoView {
    let invalid = problem.is_some();
    let described_by = if invalid {
        "import-file-error import-file-help"
    } else {
        "import-file-help"
    };
    view! {
        <section class="card" aria-labelledby="import-upload-title">
            <h2 id="import-upload-title">"Upload a file"</h2>
            <p>
                "A CSV file saved as UTF-8 whose first line names the columns: "
                <code>"username"</code>", "<code>"display_name"</code>" and "<code>"email"</code>
                " (required), "<code>"role"</code>" (user, helpdesk or admin), "
                <code>"mfa_state"</code>" (disabled, enabled or enforced), "
                <code>"mobile"</code>" and "<code>"office"</code>" (numbers starting with +)."
            </p>
            <p class="muted small">
                "An empty role, MFA state or phone keeps what an existing account has; a new account gets the role user and the MFA state your policy starts with. "
                "Phones become phones set by your organisation. Imported accounts have no password until you reset it on their page. "
                "Uploading only checks the file: nothing changes until you run the import."
            </p>
            <form method="post" action=UPLOAD_PATH enctype="multipart/form-data" class="form">
                <div class="field" class:field-invalid=invalid>
                    <label for="import-file">"People file (CSV)"</label>
                    <input id="import-file" type="file" name="file" accept=".csv,text/csv" required=true
                        aria-describedby=described_by aria-invalid=invalid.then_some("true") />
                    <p class="muted small" id="import-file-help">"Up to 50,000 rows and 10 MB."</p>
                    {problem.map(|text| view! {
                        <p class="field-error" id="import-file-error" data-testid="import-file-error">{text}</p>
                    })}
                </div>
                <button type="submit" class="btn btn-primary">"Upload and check"</button>
            </form>
        </section>
    }
}

pub fn status_words(job: &ImportJobSummary) -> String {
    let p = &job.progress;
    match p.status {
        ImportStatus::Rejected => "Could not be read".to_owned(),
        ImportStatus::Checked => "Checked, not run".to_owned(),
        ImportStatus::Running => format!("Running: {} of {} rows", p.processed_rows, p.total_rows),
        ImportStatus::Finished => format!(
            "Done: {} created, {} updated, {} unchanged, {} failed",
            p.created, p.updated, p.unchanged, p.failed
        ),
    }
}

#[component]
fn RecentImports(jobs: Vec<ImportJobSummary>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="imports-title">
            <h2 id="imports-title">"Recent imports"</h2>
            {if jobs.is_empty() {
                view! { <p class="muted">"No file has been uploaded yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="stacked">
                            <caption class="visually-hidden">"Uploaded files, newest first"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"File"</th>
                                    <th scope="col">"Uploaded"</th>
                                    <th scope="col">"Rows"</th>
                                    <th scope="col">"Status"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {jobs.into_iter().map(|job| {
                                    let status = status_words(&job);
                                    view! {
                                        <tr data-testid="import-job">
                                            <td data-label="File"><a href=job_path(job.id)>{job.file_name}</a></td>
                                            <td data-label="Uploaded">{format!("{} by {}", job.uploaded_at, job.uploaded_by)}</td>
                                            <td data-label="Rows">{job.progress.total_rows}</td>
                                            <td data-label="Status">{status}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
