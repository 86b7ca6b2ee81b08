//! A notification to the person's authenticator app: sent when asked ("Send
//! notification", then "Send another"), the number or code to match shown large,
//! and the answer followed live by a long poll (no reload) until it is approved,
//! denied, reported, or a minute passes without an answer.

use super::FormAlert;
use crate::api::push::{StartPush, push_status};
use crate::domain::views::ChallengeStatus;
use crate::domain::{AppError, PushApproval, PushPromptView, PushPurpose};
use leptos::prelude::*;

/// `purpose`: a sign-in's second step or confirming identity. `on_done` runs once
/// the approval was taken (the session is signed in or verified by then).
#[component]
pub fn PushPromptStep(
    purpose: PushPurpose,
    /// "Don't ask again on this browser", read when the approval is taken.
    #[prop(optional, into)]
    remember: Option<Signal<bool>>,
    on_done: Callback<()>,
) -> impl IntoView {
    let remember = remember.unwrap_or_else(|| Signal::stored(false));
    let start = ServerAction::<StartPush>::new();
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    let prompt = move || start.value().get().and_then(Result::ok);
    view! {
        <div class="push-prompt">
            {move || prompt().map(|p| view! { <PromptWait prompt=p purpose remember on_done /> })}
            <ActionForm action=start attr:class="form">
                <FormAlert error />
                <input type="hidden" name="purpose" value=purpose.as_str() />
                <button type="submit" class=move || if prompt().is_some() { "btn btn-link" } else { "btn btn-primary btn-block" }>
                    {move || if prompt().is_some() { "Send another notification" } else { "Send notification" }}
                </button>
            </ActionForm>
        </div>
    }
}

/// What to do on the phone, for the way the prompt is approved.
fn instruction(prompt: &PushPromptView) -> &'static str {
    match prompt.approval {
        PushApproval::Approve => {
            "We sent a notification to your authenticator app. Check that it shows this code, then approve it."
        }
        PushApproval::Pick => {
            "We sent a notification to your authenticator app. Pick this number there to approve."
        }
        PushApproval::Type => {
            "We sent a notification to your authenticator app. Type this number there (or pick it, if the app offers three) to approve."
        }
    }
}

#[component]
fn PromptWait(
    prompt: PushPromptView,
    purpose: PushPurpose,
    remember: Signal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let challenge_id = prompt.challenge_id;
    let status = RwSignal::new(ChallengeStatus::Waiting);
    let failure = RwSignal::new(None::<AppError>);
    let wait = Action::new(move |_: &()| async move {
        let remember = remember.get_untracked().then(|| "on".to_owned());
        push_status(challenge_id, purpose.as_str().to_owned(), remember).await
    });
    // Each answer of the long poll asks again while the prompt is still open.
    Effect::new(move |_| match wait.value().get() {
        Some(Ok(now)) => {
            status.set(now);
            if now == ChallengeStatus::Waiting {
                wait.dispatch(());
            } else if now == ChallengeStatus::Approved {
                on_done.run(());
            }
        }
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| {
        wait.dispatch(());
    });
    let words = move || match status.get() {
        ChallengeStatus::Waiting => "Waiting for your answer in the app…",
        ChallengeStatus::Approved => "Approved. One moment…",
        ChallengeStatus::Denied => {
            "The notification was denied in the app. Send another, or sign in another way."
        }
        ChallengeStatus::FraudReported => {
            "You reported this sign-in as fraud. It was denied and your administrator was told."
        }
        ChallengeStatus::Unreachable | ChallengeStatus::Expired => {
            "No answer within 60 seconds. Send another, or sign in another way."
        }
    };
    view! {
        <p class="lede">{instruction(&prompt)}</p>
        <p class="match-number">
            <span class="visually-hidden">"Number or code to match in your app: "</span>
            <span data-testid="push-number">{prompt.shown_code.clone()}</span>
        </p>
        <p class="call-status" role="status" aria-live="polite" data-testid="push-status">{words}</p>
        <FormAlert error=Signal::derive(move || failure.get()) />
    }
}
