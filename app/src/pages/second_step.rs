//! `/sign-in/verify`: the second step. The code from the chosen method, "Sign in
//! another way" for the others, and "remember this browser" when policy allows.

use crate::api::mfa::{VerifySecondStep, second_step};
use crate::api::phones::StartPhoneSignIn;
use crate::components::{
    AuthFrame, CodeField, FormAlert, PhoneChallengeStep, PushPromptStep, go_to, island_hydrating,
};
use crate::domain::views::SecondStepView;
use crate::domain::{AppError, ChallengePurpose, PhoneChannel, PushPurpose, SignInMethod};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SecondStepPage() -> impl IntoView {
    let info = Resource::new(|| (), |_| second_step());
    view! {
        <Title text="Verify it's you" />
        <AuthFrame title="Verify it's you">
                <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match info.await {
                            Ok(view) => view! { <CodeStep view /> }.into_any(),
                            Err(AppError::SignInExpired) => view! { <Redirect path="/sign-in" /> }.into_any(),
                            Err(error) => view! { <FormAlert error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                        }
                    })}
                </Suspense>
        </AuthFrame>
    }
}

/// One way to do the second step: an app's code, or a text or call to a phone.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Way {
    /// An app's code, a text or a call.
    method: SignInMethod,
    method_id: i64,
    label: String,
}

fn ways(view: &SecondStepView) -> Vec<Way> {
    let mut all: Vec<Way> = Vec::new();
    if view.push {
        all.push(Way {
            method: SignInMethod::AppNotification,
            method_id: 0,
            label: "Approve a notification in my authenticator app".to_owned(),
        });
    }
    all.extend(view.methods.iter().map(|m| Way {
        method: SignInMethod::AppCode,
        method_id: m.id,
        label: format!("Use a code from \u{201c}{}\u{201d}", m.name),
    }));
    for phone in &view.phones {
        if phone.sms {
            all.push(Way {
                method: SignInMethod::Sms,
                method_id: phone.method_id,
                label: format!("Text a code to {}", phone.masked),
            });
        }
        if phone.call {
            all.push(Way {
                method: SignInMethod::PhoneCall,
                method_id: phone.method_id,
                label: format!("Call {}", phone.masked),
            });
        }
    }
    // The default (or travel mode's method) first.
    let preferred = match view.start {
        Some(
            method @ (SignInMethod::Sms | SignInMethod::PhoneCall | SignInMethod::AppNotification),
        ) => method,
        _ => SignInMethod::AppCode,
    };
    all.sort_by_key(|w| w.method != preferred);
    all
}

#[component]
fn CodeStep(view: SecondStepView) -> impl IntoView {
    let query = use_query_map();
    let all = ways(&view);
    let chosen = {
        let all = all.clone();
        move || {
            let q = query.read();
            let method = q.get("way").and_then(|way| SignInMethod::parse(&way));
            let id = q.get("method").and_then(|m| m.parse::<i64>().ok());
            all.iter()
                .find(|w| Some(w.method) == method && Some(w.method_id) == id)
                .or(all.first())
                .cloned()
        }
    };
    let others = {
        let chosen = chosen.clone();
        move || {
            let current = chosen();
            all.iter()
                .filter(|w| Some(*w) != current.as_ref())
                .cloned()
                .collect::<Vec<_>>()
        }
    };
    let remember_days = view.remember_days;
    let names: Vec<(i64, String)> = view
        .methods
        .iter()
        .map(|m| (m.id, m.name.clone()))
        .collect();
    view! {
        {move || chosen().map(|way| {
            if way.method == SignInMethod::AppCode {
                let name = names.iter().find(|(id, _)| *id == way.method_id).map(|(_, n)| n.clone()).unwrap_or_default();
                view! { <AppCodeForm method_id=way.method_id name remember_days /> }.into_any()
            } else if way.method == SignInMethod::AppNotification {
                view! { <PushWay remember_days /> }.into_any()
            } else {
                view! { <PhoneWay way=way.clone() remember_days /> }.into_any()
            }
        })}
        {
            let others = others.clone();
            move || {
                let list = others();
                (!list.is_empty()).then(|| view! {
                    <details class="other-ways">
                        <summary>"Sign in another way"</summary>
                        <ul class="plain-list">
                            {list.into_iter().map(|w| view! {
                                <li><a href=format!("/sign-in/verify?way={}&method={}", w.method, w.method_id)>{w.label}</a></li>
                            }).collect_view()}
                        </ul>
                    </details>
                })
            }
        }
        <p class="muted small"><a href="/sign-in">"Cancel and sign in again"</a></p>
    }
    .into_any()
}

#[component]
fn RememberCheck(
    remember_days: i64,
    #[prop(optional)] checked: Option<RwSignal<bool>>,
) -> impl IntoView {
    (remember_days > 0).then(|| view! {
        <div class="check">
            <input
                type="checkbox"
                id="remember"
                name="remember"
                value="on"
                on:change=move |ev| if let Some(signal) = checked { signal.set(event_target_checked(&ev)) }
            />
            <label for="remember">{format!("Don't ask again on this browser for {remember_days} days")}</label>
        </div>
    })
}

#[island(lazy)]
fn AppCodeForm(method_id: i64, name: String, remember_days: i64) -> impl IntoView {
    island_hydrating();
    let action = ServerAction::<VerifySecondStep>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let code_error = Signal::derive(move || error.get().and_then(|e| e.for_field("code")));
    view! {
        <p class="lede">"Open your authenticator app \u{201c}"{name}"\u{201d} and enter the code it shows for MFA Portal."</p>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <FormAlert error />
            <input type="hidden" name="method_id" value=method_id />
            <CodeField error=code_error />
            <RememberCheck remember_days />
            <button type="submit" class="btn btn-primary btn-block">"Verify"</button>
        </ActionForm>
    }
}

/// A notification to the person's apps, sent when they ask; the sign-in page
/// follows the answer live.
#[island(lazy)]
fn PushWay(remember_days: i64) -> impl IntoView {
    island_hydrating();
    let remember = RwSignal::new(false);
    let go_home = go_to("/account");
    view! {
        <p class="lede">"Approve a notification in your authenticator app."</p>
        <RememberCheck remember_days checked=remember />
        <PushPromptStep purpose=PushPurpose::SignIn remember=remember on_done=go_home />
    }
}

/// A text or call: sent when the person asks (never on page load), then the code
/// form or the wait for the call's answer.
#[island(lazy)]
fn PhoneWay(way: Way, remember_days: i64) -> impl IntoView {
    island_hydrating();
    let start = ServerAction::<StartPhoneSignIn>::new();
    let remember = RwSignal::new(false);
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    let challenge = move || start.value().get().and_then(Result::ok);
    let go_home = go_to("/account");
    let channel = if way.method == SignInMethod::Sms {
        PhoneChannel::Sms
    } else {
        PhoneChannel::Voice
    };
    let button = if channel == PhoneChannel::Sms {
        "Send code"
    } else {
        "Call me"
    };
    view! {
        {move || match challenge() {
            Some(c) => view! { <PhoneChallengeStep challenge=c purpose=ChallengePurpose::SignIn remember=remember.get_untracked() on_done=go_home /> }.into_any(),
            None => view! {
                <p class="lede">{way.label.clone()}"."</p>
                <ActionForm action=start attr:class="form">
                    <FormAlert error />
                    <input type="hidden" name="method_id" value=way.method_id />
                    <input type="hidden" name="channel" value=channel.as_str() />
                    <input type="hidden" name="purpose" value=ChallengePurpose::SignIn.as_str() />
                    <RememberCheck remember_days checked=remember />
                    <button type="submit" class="btn btn-primary btn-block">{button}</button>
                </ActionForm>
            }.into_any(),
        }}
    }
}
