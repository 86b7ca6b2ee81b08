//! `/admin/import/:id`: one uploaded file. Refused: why, and the form again.
//! Checked: what the run would do and every row's problem next to the row, with the
//! button that runs it. Running: the progress bar (it follows the job in the
//! database, so a reload shows where it stands). Finished: the result, downloadable.

use super::admin_import::{IMPORT_PATH, UploadForm};
use super::admin_import_run::{ImportProgressBar, StartImport};
use crate::api::import::admin_import;
use crate::components::{AdminNav, AreaLayout, Loaded, PortalLayout};
use crate::domain::Role;
use crate::domain::import::{ImportJobView, ImportStatus, RowProblem};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AdminImportJobPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let job = Resource::new(id, admin_import);
    view! {
        <Title text="Import · Admin" />
        <PortalLayout required=Role::Admin>
            <AreaLayout area="Admin" summary="Users, MFA states and account safety across the portal.">
                <AdminNav />
                <p><a href=IMPORT_PATH>"← Back to Import people"</a></p>
                <Loaded data=job then=|view| view! { <JobSections view /> } />
            </AreaLayout>
        </PortalLayout>
    }
}

#[component]
fn JobSections(view: ImportJobView) -> impl IntoView {
    let job = view.job.clone();
    let result_href = format!("{IMPORT_PATH}/{}/result.csv", job.id);
    let heading = format!("Import of {}", job.file_name);
    let uploaded = format!("Uploaded {} by {}.", job.uploaded_at, job.uploaded_by);
    let body = match job.progress.status {
        ImportStatus::Rejected => view! {
            <div class="alert alert-error" role="alert">
                <p>"This file cannot be imported. The reason is next to the file field below; correct the file and upload it again."</p>
            </div>
            <UploadForm problem=job.problem.clone() />
        }
        .into_any(),
        ImportStatus::Checked => view! { <DryRun view=view.clone() result_href /> }.into_any(),
        ImportStatus::Running => view! {
            <section class="card" aria-labelledby="import-run-title">
                <h2 id="import-run-title">"Importing"</h2>
                <ImportProgressBar job_id=job.id initial=job.progress.clone() />
                <p class="muted small">"You may leave this page; the import goes on and this page shows where it stands when you come back."</p>
            </section>
        }
        .into_any(),
        ImportStatus::Finished => view! { <Finished view=view.clone() result_href /> }.into_any(),
    };
    view! {
        <h1>{heading}</h1>
        <p class="muted">{uploaded}</p>
        {body}
    }
}

#[component]
fn DryRun(view: ImportJobView, result_href: String) -> impl IntoView {
    let job = &view.job;
    let total = job.progress.total_rows;
    let with_problems = total - view.will_create - view.will_update - view.will_stay;
    let runnable = view.will_create + view.will_update;
    let problems = view.problems.clone();
    let more = view.more_problems;
    view! {
        <section class="card" aria-labelledby="import-check-title">
            <h2 id="import-check-title">"What the import would do"</h2>
            <dl class="facts" data-testid="import-plan">
                <dt>"Rows"</dt><dd>{total}</dd>
                <dt>"New accounts"</dt><dd data-testid="plan-create">{view.will_create}</dd>
                <dt>"Accounts changed"</dt><dd data-testid="plan-update">{view.will_update}</dd>
                <dt>"Already as in the file"</dt><dd data-testid="plan-unchanged">{view.will_stay}</dd>
                <dt>"Rows with problems (skipped)"</dt><dd data-testid="plan-problems">{with_problems}</dd>
            </dl>
            <p><a href=result_href.clone() download=true>"Download the check of every row (CSV)"</a></p>
            {if runnable > 0 {
                view! { <StartImport job_id=view.job.id rows=runnable skipped=with_problems /> }.into_any()
            } else {
                view! { <p class="muted">"Nothing to import: every row is already as in the file or has a problem."</p> }.into_any()
            }}
        </section>
        <Problems problems more result_href />
    }
}

#[component]
fn Problems(problems: Vec<RowProblem>, more: i64, result_href: String) -> impl IntoView {
    if problems.is_empty() {
        return view! { <span></span> }.into_any();
    }
    view! {
        <section class="card" aria-labelledby="import-problems-title">
            <h2 id="import-problems-title">"Rows with problems"</h2>
            <p class="muted small">"These rows are skipped. Correct them in the file and upload it again; rows already imported stay as they are."</p>
            <div class="table-wrap">
                <table class="stacked">
                    <caption class="visually-hidden">"Rows of the file that cannot be imported, with the reason"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Line"</th>
                            <th scope="col">"Username"</th>
                            <th scope="col">"Name"</th>
                            <th scope="col">"E-mail"</th>
                            <th scope="col">"Problem"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {problems.into_iter().map(|row| view! {
                            <tr data-testid="import-problem">
                                <td data-label="Line">{row.line}</td>
                                <td data-label="Username">{row.username}</td>
                                <td data-label="Name">{row.display_name}</td>
                                <td data-label="E-mail">{row.email}</td>
                                <td data-label="Problem" class="field-error">{row.problem}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(more > 0).then(|| view! {
                <p>{format!("And {more} more rows with problems: ")}<a href=result_href download=true>"download the check of every row"</a>"."</p>
            })}
        </section>
    }
    .into_any()
}

#[component]
fn Finished(view: ImportJobView, result_href: String) -> impl IntoView {
    let p = view.job.progress.clone();
    let by = view.started_by.clone().unwrap_or_default();
    let at = view.finished_at.clone().unwrap_or_default();
    view! {
        <section class="card" aria-labelledby="import-done-title">
            <h2 id="import-done-title">"Import finished"</h2>
            <p class="muted">{format!("Run by {by}, finished {at}.")}</p>
            <dl class="facts" data-testid="import-result">
                <dt>"Created"</dt><dd data-testid="result-created">{p.created}</dd>
                <dt>"Updated"</dt><dd data-testid="result-updated">{p.updated}</dd>
                <dt>"Unchanged"</dt><dd data-testid="result-unchanged">{p.unchanged}</dd>
                <dt>"Failed"</dt><dd data-testid="result-failed">{p.failed}</dd>
            </dl>
            <p><a class="btn" href=result_href download=true>"Download the result (CSV)"</a></p>
            <p class="muted small">"New accounts have no password yet: reset it on a person's page to give them a temporary one."</p>
        </section>
    }
}
