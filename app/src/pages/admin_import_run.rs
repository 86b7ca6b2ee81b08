//! The islands of an import's page: the button that runs a checked import, and the
//! progress bar that follows a running one.

use crate::api::import::{AdminStartImport, admin_import_progress};
use crate::components::{FormAlert, island_hydrating, reload_page};
use crate::domain::AppError;
use crate::domain::import::{ImportProgress, ImportStatus};
use leptos::prelude::*;

/// Runs the import (the admin's verification must be recent), then shows the page
/// again with the progress bar.
#[island(lazy)]
pub fn StartImport(job_id: i64, rows: i64, skipped: i64) -> impl IntoView {
    island_hydrating();
    let start = ServerAction::<AdminStartImport>::new();
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    let reload = reload_page();
    Effect::new(move |_| {
        if matches!(start.value().get(), Some(Ok(()))) {
            reload.run(());
        }
    });
    let label = if skipped > 0 {
        format!("Import {rows} rows (skip {skipped} with problems)")
    } else {
        format!("Import {rows} rows")
    };
    view! {
        <ActionForm action=start attr:class="form" attr:novalidate=true>
            <FormAlert error />
            {move || matches!(error.get(), Some(AppError::ReauthenticationRequired)).then(|| view! {
                <p class="muted small"><a href="/security">"Confirm it's you on your Security info"</a>", then come back."</p>
            })}
            <input type="hidden" name="job_id" value=job_id />
            <button type="submit" class="btn btn-primary" data-testid="run-import">{label}</button>
        </ActionForm>
    }
}

/// Asks every second how far the import has come; shows the page again when done.
#[island(lazy)]
pub fn ImportProgressBar(job_id: i64, initial: ImportProgress) -> impl IntoView {
    island_hydrating();
    let progress = RwSignal::new(initial);
    let failure = RwSignal::new(None::<AppError>);
    let poll = Action::new(move |_: &()| admin_import_progress(job_id));
    Effect::new(move |_| match poll.value().get() {
        Some(Ok(now)) => progress.set(now),
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    let reload = reload_page();
    Effect::new(move |_| {
        if progress.get().status == ImportStatus::Finished {
            reload.run(());
        }
    });
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                let running = progress.get_untracked().status == ImportStatus::Running;
                if running && failure.get_untracked().is_none() && !poll.pending().get_untracked() {
                    poll.dispatch(());
                }
            },
            std::time::Duration::from_secs(1),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    });
    let bar_id = format!("import-{job_id}-progress");
    let label_for = bar_id.clone();
    let percent = move || {
        let p = progress.get();
        (p.processed_rows * 100)
            .checked_div(p.total_rows)
            .unwrap_or(100)
    };
    view! {
        <div class="import-progress">
            <label for=label_for>"Rows imported"</label>
            <progress id=bar_id data-testid="import-progress"
                max=move || progress.get().total_rows.max(1)
                value=move || progress.get().processed_rows>
                {move || format!("{}%", percent())}
            </progress>
            <p role="status" aria-live="polite" data-testid="import-progress-text">
                {move || {
                    let p = progress.get();
                    format!(
                        "{} of {} rows ({}%): {} created, {} updated, {} unchanged, {} failed",
                        p.processed_rows, p.total_rows, percent(), p.created, p.updated, p.unchanged, p.failed
                    )
                }}
            </p>
            <FormAlert error=Signal::derive(move || failure.get()) />
        </div>
    }
}
