//! `/dev/phone`: the development phone. Texts and calls the portal "sent" while in
//! development mode; a tester reads codes here and answers calls by typing keys,
//! which the portal takes the way the gateway reports them (up to the #).
//! Outside development mode the server refuses it and this shows "not found".

use crate::api::dev_phone::{DevPhoneAnswer, dev_phone_messages};
use crate::components::{AuthFrame, FormAlert, island_hydrating, reload_page, set_status};
use crate::domain::AppError;
use crate::domain::views::{DevMessageKind, DevPhoneMessageView};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DevPhonePage() -> impl IntoView {
    let messages = Resource::new(|| (), |_| dev_phone_messages());
    view! {
        <Title text="Development phone" />
        <AuthFrame title="Development phone" wide=true>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match messages.await {
                        Ok(list) => view! { <Inbox list /> }.into_any(),
                        Err(AppError::NotFound) => {
                            set_status(404);
                            view! { <p>"There is no page at this address."</p> }.into_any()
                        }
                        Err(error) => view! { <FormAlert error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Suspense>
        </AuthFrame>
    }
}

#[component]
fn Inbox(list: Vec<DevPhoneMessageView>) -> impl IntoView {
    view! {
        <p class="note">"Development mode only: texts and calls go nowhere but here."</p>
        <a class="btn" href="/dev/phone">"Refresh"</a>
        {if list.is_empty() {
            view! { <p class="muted">"Nothing yet."</p> }.into_any()
        } else {
            view! {
                <ol class="methods dev-phone">
                    {list.into_iter().map(|m| view! { <Message message=m /> }).collect_view()}
                </ol>
            }.into_any()
        }}
    }
    .into_any()
}

#[component]
fn Message(message: DevPhoneMessageView) -> impl IntoView {
    let kind = if message.kind == DevMessageKind::Sms {
        "Text to "
    } else {
        "Call to "
    };
    view! {
        <li class="method dev-message" data-kind=message.kind.as_str()>
            <div class="method-head">
                <strong>{kind}{message.to.clone()}</strong>
                <span class="muted small">{message.at.clone()}</span>
            </div>
            <p class="dev-body">{message.body.clone()}</p>
            {message.answer.clone().map(|a| view! { <p class="muted small">"Answered: "{a}</p> })}
            {message.awaiting_answer.then(|| view! { <AnswerCall message_id=message.id /> })}
        </li>
    }
}

/// An island: the keys typed on a call; the page then shows it again from the server.
#[island(lazy)]
fn AnswerCall(message_id: i64) -> impl IntoView {
    island_hydrating();
    let reload = reload_page();
    let answer = ServerAction::<DevPhoneAnswer>::new();
    let error = Signal::derive(move || answer.value().get().and_then(Result::err));
    let heard = move || answer.value().get().and_then(Result::ok);
    Effect::new(move |_| {
        if heard().is_some() {
            reload.run(());
        }
    });
    let id = message_id;
    view! {
        <FormAlert error />
        <div class="dev-keys" role="group" aria-label=format!("Answer call {id}")>
            <ActionForm action=answer attr:class="inline-form">
                <input type="hidden" name="message_id" value=id />
                <label for=format!("keys-{id}")>"Keys to type"</label>
                <input
                    id=format!("keys-{id}")
                    name="keys"
                    inputmode="tel"
                    autocomplete="off"
                    maxlength="12"
                    placeholder="e.g. 42#"
                    required
                />
                <button type="submit" class="btn">"Type keys"</button>
            </ActionForm>
            {[("hang-up", "Hang up"), ("no-answer", "Don't answer")].into_iter().map(|(keys, label)| {
                view! {
                    <ActionForm action=answer attr:class="inline-form">
                        <input type="hidden" name="message_id" value=id />
                        <input type="hidden" name="keys" value=keys />
                        <button type="submit" class="btn">{label}</button>
                    </ActionForm>
                }
            }).collect_view()}
        </div>
        {move || heard().map(|words| view! { <p role="status">{words}</p> })}
    }
}
