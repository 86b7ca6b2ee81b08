//! `/security/sign-ins/report?event=…`: "This wasn't me". Confirm, report (the
//! admins are told), then optionally secure the account in one step.

use super::sign_in_history::HISTORY_PATH;
use crate::api::history::{ReportSignIn, SecureAccount, sign_in_event};
use crate::components::{FormAlert, Loaded, PortalLayout, TextField, island_hydrating};
use crate::domain::history::{HistoryRowView, SecuredView};
use crate::domain::{AppError, Role};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ReportSignInPage() -> impl IntoView {
    view! {
        <Title text="Report a sign-in" />
        <PortalLayout required=Role::User>
            <ReportPanel />
        </PortalLayout>
    }
}

#[component]
fn ReportPanel() -> impl IntoView {
    let query = use_query_map();
    let event_id = move || {
        query
            .read()
            .get("event")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let event = Resource::new(event_id, |id| async move {
        match id {
            Some(id) => sign_in_event(id).await,
            None => Err(AppError::SignInEventNotFound),
        }
    });
    view! {
        <h1>"Report a sign-in"</h1>
        <p><a href=HISTORY_PATH>"← Back to My sign-ins"</a></p>
        <Loaded data=event then=|event| view! { <ReportFlow event /> } />
    }
    .into_any()
}

/// An island: the report's answer decides what comes next, on the same page.
#[island(lazy)]
fn ReportFlow(event: HistoryRowView) -> impl IntoView {
    island_hydrating();
    let report = ServerAction::<ReportSignIn>::new();
    let reported = move || report.value().get().and_then(Result::ok);
    let error = Signal::derive(move || report.value().get().and_then(Result::err));
    let already = event.reported;
    let event_id = event.id;
    view! {
        <section class="card" aria-labelledby="event-title">
            <h2 id="event-title">"The sign-in"</h2>
            <EventFacts event />
        </section>
        {move || match reported() {
            Some(done) => view! {
                <p class="alert alert-ok" role="status">"Thank you. The sign-in is reported and your administrators have been told."</p>
                {if done.secured {
                    view! { <p>"You already secured your account after this report."</p> }.into_any()
                } else {
                    view! { <SecureAccountForm report_id=done.report_id /> }.into_any()
                }}
            }.into_any(),
            None => view! {
                <section class="card" aria-labelledby="confirm-title">
                    <h2 id="confirm-title">{if already { "You reported this sign-in" } else { "Was this not you?" }}</h2>
                    <p>{if already {
                        "Your administrators were told. If you have not done so yet, secure your account now."
                    } else {
                        "If you did not make this sign-in, report it. Your administrators are told at once, and you can then lock out whoever it was."
                    }}</p>
                    <ActionForm action=report attr:class="form">
                        <FormAlert error />
                        <input type="hidden" name="event_id" value=event_id />
                        <div class="button-row">
                            <button type="submit" class="btn btn-primary">{if already { "Continue" } else { "Yes, report it" }}</button>
                            <a class="btn" href=HISTORY_PATH>"Cancel"</a>
                        </div>
                    </ActionForm>
                </section>
            }.into_any(),
        }}
    }
}

#[component]
fn EventFacts(event: HistoryRowView) -> impl IntoView {
    view! {
        <dl class="facts">
            <dt>"When"</dt>
            <dd><time datetime=event.when_iso>{event.when}</time></dd>
            <dt>"Result"</dt>
            <dd>{event.result}<span class="note">{event.result_detail}</span></dd>
            <dt>"Method"</dt>
            <dd>{event.method}</dd>
            <dt>"App"</dt>
            <dd>{event.app}</dd>
            <dt>"From"</dt>
            <dd>{event.ip}<span class="note">{event.device}</span></dd>
        </dl>
    }
}

/// The optional second step: a new password, and everything the old one let people
/// keep is taken away, in one transaction.
#[component]
fn SecureAccountForm(report_id: i64) -> impl IntoView {
    let secure = ServerAction::<SecureAccount>::new();
    let error = Signal::derive(move || secure.value().get().and_then(Result::err));
    let field = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    let secured = move || secure.value().get().and_then(Result::ok);
    view! {
        <section class="card" aria-labelledby="secure-title">
            <h2 id="secure-title">"Secure your account"</h2>
            {move || match secured() {
                Some(done) => view! { <SecuredSummary done /> }.into_any(),
                None => view! {
                    <p>"One step does all of this:"</p>
                    <ul>
                        <li>"changes your password,"</li>
                        <li>"signs out every other browser and device, keeping you signed in here,"</li>
                        <li>"forgets every browser that skips the second step,"</li>
                        <li>"revokes all your app passwords."</li>
                    </ul>
                    <ActionForm action=secure attr:class="form" attr:novalidate=true>
                        <FormAlert error />
                        <input type="hidden" name="report_id" value=report_id />
                        <TextField name="current_password" label="Current password" kind="password" autocomplete="current-password" error=field("current_password") />
                        <TextField
                            name="new_password"
                            label="New password"
                            kind="password"
                            autocomplete="new-password"
                            hint=crate::components::NEW_PASSWORD_HINT
                            error=field("new_password")
                        />
                        <div class="button-row">
                            <button type="submit" class="btn btn-primary">"Secure my account"</button>
                            <a class="btn" href=HISTORY_PATH>"Not now"</a>
                        </div>
                    </ActionForm>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn SecuredSummary(done: SecuredView) -> impl IntoView {
    view! {
        <div class="alert alert-ok" role="status">
            <p>"Your account is secured. Your password is changed and every other session is signed out."</p>
            <p>{format!(
                "{} forgotten, {} revoked.",
                counted(done.browsers_forgotten, "remembered browser"),
                counted(done.app_passwords_revoked, "app password")
            )}</p>
        </div>
        <p><a href=HISTORY_PATH>"Back to My sign-ins"</a></p>
    }
}

/// "1 app password", "2 app passwords".
fn counted(count: u64, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
