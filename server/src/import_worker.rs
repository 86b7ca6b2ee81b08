//! The import worker: runs started bulk imports a batch at a time (the rules are in
//! `app::services::bulk_import`). Every portal process has one; a job's lease keeps
//! two of them off one job, and a job whose worker stopped is taken up again.

use app::services::bulk_import::{BatchDone, claim_job, run_batch};
use app::state::AppState;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

/// How soon a started import is noticed.
const POLL: Duration = Duration::from_secs(1);

pub fn spawn(state: &AppState) -> JoinHandle<()> {
    let state = state.clone();
    let owner = uuid::Uuid::new_v4().to_string();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(POLL);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match claim_job(&state, &owner).await {
                Ok(Some(job_id)) => run(&state, job_id, &owner).await,
                Ok(None) => {}
                Err(err) => tracing::error!(error = ?err, "looking for an import to run failed"),
            }
        }
    })
}

async fn run(state: &AppState, job_id: i64, owner: &str) {
    loop {
        match run_batch(state, job_id, owner).await {
            Ok(BatchDone::More) => {}
            Ok(BatchDone::Finished) => {
                tracing::info!(job_id, "import finished");
                return;
            }
            Ok(BatchDone::NotOurs) => return,
            Err(err) => {
                // The lease runs out and the job is taken up again, from this batch.
                tracing::error!(job_id, error = ?err, "an import batch failed");
                return;
            }
        }
    }
}
