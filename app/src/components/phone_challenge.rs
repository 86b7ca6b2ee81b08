//! A text or call under way: the code form (with "send again"), or, for a call
//! answered with keys, the number to type (number matching) and a status that
//! follows the call until it is answered.

use super::{CodeField, FormAlert};
use crate::api::phones::{ResendPhoneCode, VerifyPhone, VerifyPhoneSignIn, phone_status};
use crate::domain::views::{ChallengeStatus, PhoneChallengeView};
use crate::domain::{AppError, ChallengePurpose, PhoneChannel};
use leptos::prelude::*;

/// `purpose`: what the text or call is for. `on_done` runs after a correct code
/// or an approved call (sign-in pages navigate on their own).
#[component]
pub fn PhoneChallengeStep(
    challenge: PhoneChallengeView,
    purpose: ChallengePurpose,
    #[prop(default = false)] remember: bool,
    on_done: Callback<()>,
) -> impl IntoView {
    let current = RwSignal::new(challenge);
    let resend = ServerAction::<ResendPhoneCode>::new();
    Effect::new(move |_| {
        if let Some(Ok(view)) = resend.value().get() {
            current.set(view);
        }
    });
    let resend_error = Signal::derive(move || resend.value().get().and_then(Result::err));
    let resent = move || matches!(resend.value().get(), Some(Ok(_)));
    let what = move || {
        let c = current.get();
        match (c.channel, c.press_to_approve, c.match_number.is_some()) {
            (PhoneChannel::Sms, _, _) => format!(
                "We texted a 6-digit code to {}. It expires at {}.",
                c.number, c.expires
            ),
            (_, true, true) => format!(
                "We are calling {}. Answer, type the number below on the keypad, then #. If you did not ask for this, type 0#.",
                c.number
            ),
            (_, true, false) => format!(
                "We are calling {}. Answer and press 1# to approve, or 0# if you did not ask for this.",
                c.number
            ),
            _ => format!(
                "We are calling {}. Listen for the 6-digit code and enter it here.",
                c.number
            ),
        }
    };
    view! {
        <div class="phone-challenge">
            <p class="lede" aria-live="polite">{what}</p>
            {move || current.get().match_number.map(|number| view! {
                <p class="match-number">
                    <span class="visually-hidden">"Number to type on your phone: "</span>
                    <span data-testid="match-number">{number}</span>
                </p>
            })}
            {move || {
                let c = current.get();
                if c.channel == PhoneChannel::Voice && c.press_to_approve {
                    view! { <CallWait challenge_id=c.challenge_id purpose remember on_done /> }.into_any()
                } else {
                    view! {
                        <DeliveryWatch challenge_id=c.challenge_id purpose />
                        <CodeForm challenge_id=c.challenge_id purpose remember on_done />
                    }.into_any()
                }
            }}
            <ActionForm action=resend attr:class="inline-form">
                <FormAlert error=resend_error />
                <input type="hidden" name="challenge_id" value=move || current.get().challenge_id />
                <input type="hidden" name="purpose" value=purpose.as_str() />
                <button type="submit" class="btn btn-link">
                    {move || if current.get().channel == PhoneChannel::Sms { "Send a new code" } else { "Call again" }}
                </button>
                {move || resent().then(|| view! { <span class="muted small" role="status">" Sent again."</span> })}
            </ActionForm>
        </div>
    }
}

#[component]
fn CodeForm(
    challenge_id: i64,
    purpose: ChallengePurpose,
    remember: bool,
    on_done: Callback<()>,
) -> impl IntoView {
    let enrol = ServerAction::<VerifyPhone>::new();
    let sign_in = ServerAction::<VerifyPhoneSignIn>::new();
    let error = Signal::derive(move || {
        if purpose == ChallengePurpose::Enrol {
            enrol.value().get().and_then(Result::err)
        } else {
            sign_in.value().get().and_then(Result::err)
        }
    });
    let code_error = Signal::derive(move || error.get().and_then(|e| e.for_field("code")));
    Effect::new(move |_| {
        let done = matches!(enrol.value().get(), Some(Ok(())))
            || matches!(sign_in.value().get(), Some(Ok(())));
        if done {
            on_done.run(());
        }
    });
    let fields = view! {
        <FormAlert error=Signal::derive(move || error.get().filter(|e| e.for_field("code").is_none())) />
        <input type="hidden" name="challenge_id" value=challenge_id />
        <CodeField label="Code from the text or call" error=code_error />
    };
    if purpose == ChallengePurpose::Enrol {
        view! {
            <ActionForm action=enrol attr:class="form" attr:novalidate=true>
                {fields}
                <button type="submit" class="btn btn-primary">"Verify"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <ActionForm action=sign_in attr:class="form" attr:novalidate=true>
                {fields}
                <input type="hidden" name="purpose" value=purpose.as_str() />
                {remember.then(|| view! { <input type="hidden" name="remember" value="on" /> })}
                <button type="submit" class="btn btn-primary btn-block">"Verify"</button>
            </ActionForm>
        }
        .into_any()
    }
}

/// Asks every two seconds where the challenge stands while it is waiting.
fn watch_status(
    challenge_id: i64,
    purpose: ChallengePurpose,
    remember: bool,
) -> (RwSignal<ChallengeStatus>, RwSignal<Option<AppError>>) {
    let status = RwSignal::new(ChallengeStatus::Waiting);
    let failure = RwSignal::new(None::<AppError>);
    let poll = Action::new(move |_: &()| async move {
        let remember = remember.then(|| "on".to_owned());
        phone_status(challenge_id, purpose.as_str().to_owned(), remember).await
    });
    Effect::new(move |_| match poll.value().get() {
        Some(Ok(now)) => status.set(now),
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                let waiting = status.get_untracked() == ChallengeStatus::Waiting;
                if waiting && failure.get_untracked().is_none() && !poll.pending().get_untracked() {
                    poll.dispatch(());
                }
            },
            std::time::Duration::from_secs(2),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    });
    (status, failure)
}

/// Follows a press-# call until it is decided.
#[component]
fn CallWait(
    challenge_id: i64,
    purpose: ChallengePurpose,
    remember: bool,
    on_done: Callback<()>,
) -> impl IntoView {
    let (status, failure) = watch_status(challenge_id, purpose, remember);
    Effect::new(move |_| {
        if status.get() == ChallengeStatus::Approved {
            on_done.run(());
        }
    });
    let words = move || match status.get() {
        ChallengeStatus::Waiting => "Waiting for your answer on the phone…",
        ChallengeStatus::Approved => "Approved. One moment…",
        ChallengeStatus::Denied => "The call was not approved. Call again or use another method.",
        ChallengeStatus::FraudReported => {
            "You reported this sign-in as fraud. It was denied and your administrator was told."
        }
        ChallengeStatus::Unreachable => {
            "We could not reach your phone. Try again or use another method."
        }
        ChallengeStatus::Expired => "The call request expired. Call again or use another method.",
    };
    view! {
        <p class="call-status" role="status" aria-live="polite">{words}</p>
        <FormAlert error=Signal::derive(move || failure.get()) />
    }
}

/// While a code is on its way: says so at once if delivery finally failed.
#[component]
fn DeliveryWatch(challenge_id: i64, purpose: ChallengePurpose) -> impl IntoView {
    // Only `Unreachable` is shown; a used code ends the waiting without a word.
    let (status, _) = watch_status(challenge_id, purpose, false);
    view! {
        <div role="status" aria-live="polite">
            {move || (status.get() == ChallengeStatus::Unreachable).then(|| view! {
                <p class="alert alert-error">"We could not reach your phone. Try again or use another method."</p>
            })}
        </div>
    }
}
