//! "Deny and report fraud" in the app: the report and its alerts, as for 0# on a
//! call (`prompt_fraud`).

use crate::services::prompt_fraud::{self, ReportedPrompt};
use crate::state::Services;
use crate::store::fraud_reports::ReportSource;
use crate::store::push::ChallengeRow;

pub async fn record(state: &Services, challenge: &ChallengeRow) -> anyhow::Result<()> {
    let prompt = ReportedPrompt {
        user: challenge.user_id,
        source: ReportSource::Push,
        challenge_ref: format!("push:{}", challenge.id),
        what: "reported an app notification as fraud",
        how: "was asked in their authenticator app to approve a sign-in and chose \"Deny and report fraud\"",
        owner_what: "Your authenticator app asked you to approve a sign-in to your MFA Portal account",
        owner_subject: "You reported a sign-in notification as fraud",
        via: "authenticator app",
        started_at: challenge.created_at,
        ip: &challenge.ip,
        user_agent: &challenge.user_agent,
    };
    prompt_fraud::record(state, &prompt).await
}
