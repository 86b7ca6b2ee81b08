//! `/sign-in/verify`: the second step. The code from the chosen method, "Sign in
//! another way" for the others, and "remember this browser" when policy allows.

use crate::api::mfa::{VerifySecondStep, second_step};
use crate::components::{AuthFrame, CodeField, FormAlert};
use crate::domain::AppError;
use crate::domain::views::SecondStepView;
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

#[component]
fn CodeStep(view: SecondStepView) -> impl IntoView {
    let action = ServerAction::<VerifySecondStep>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let code_error = Signal::derive(move || error.get().and_then(|e| e.for_field("code")));
    let query = use_query_map();
    let methods = view.methods.clone();
    let chosen = move || {
        let wanted = query
            .read()
            .get("method")
            .and_then(|m| m.parse::<i64>().ok());
        methods
            .iter()
            .find(|m| Some(m.id) == wanted)
            .or(methods.first())
            .cloned()
    };
    let others = {
        let chosen = chosen.clone();
        let all = view.methods.clone();
        move || {
            all.iter()
                .filter(|m| Some(m.id) != chosen().map(|c| c.id))
                .cloned()
                .collect::<Vec<_>>()
        }
    };
    let remember_days = view.remember_days;
    view! {
        {move || chosen().map(|method| view! {
            <p class="lede">"Open your authenticator app \u{201c}"{method.name.clone()}"\u{201d} and enter the code it shows for MFA Portal."</p>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormAlert error />
                <input type="hidden" name="method_id" value=method.id />
                <CodeField error=code_error />
                {(remember_days > 0).then(|| view! {
                    <div class="check">
                        <input type="checkbox" id="remember" name="remember" value="on" />
                        <label for="remember">{format!("Don't ask again on this browser for {remember_days} days")}</label>
                    </div>
                })}
                <button type="submit" class="btn btn-primary btn-block">"Verify"</button>
            </ActionForm>
        })}
        {
            let others = others.clone();
            move || {
                let list = others();
                (!list.is_empty()).then(|| view! {
                    <details class="other-ways">
                        <summary>"Sign in another way"</summary>
                        <ul class="plain-list">
                            {list.into_iter().map(|m| view! {
                                <li><a href=format!("/sign-in/verify?method={}", m.id)>{format!("Use a code from \u{201c}{}\u{201d}", m.name)}</a></li>
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
