//! `/admin/fraud`: the fraud queue. Each open report with the person, when and how
//! it was made and the sign-in it concerns; confirm or dismiss it with a note.
//! Confirmed reports keep blocking prompts for a while; their block can be lifted.

use crate::api::fraud_queue::{AdminDecideReport, admin_fraud_queue};
use crate::components::{
    AdminNav, AreaLayout, FormAlert, Loaded, PortalLayout, island_hydrating, reload_page,
};
use crate::domain::fraud_queue::{FraudQueueView, ReportView};
use crate::domain::{AppError, Role};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminFraudPage() -> impl IntoView {
    let queue = Resource::new(|| (), |_| admin_fraud_queue());
    view! {
        <Title text="Fraud reports · Admin" />
        <PortalLayout required=Role::Admin>
            <AreaLayout area="Admin" summary="Users, MFA states and account safety across the portal.">
                <AdminNav />
                <h1>"Fraud reports"</h1>
                <Loaded data=queue then=|queue| view! { <Queue queue /> } />
            </AreaLayout>
        </PortalLayout>
    }
}

#[component]
fn Queue(queue: FraudQueueView) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="fraud-open-title">
            <h2 id="fraud-open-title">"Waiting for a decision"</h2>
            {if queue.open.is_empty() {
                view! { <p class="muted">"No open report."</p> }.into_any()
            } else {
                view! {
                    <ul class="methods">
                        {queue.open.into_iter().map(|report| view! {
                            <li class="method" data-testid="fraud-report">
                                <ReportFacts report=report.clone() />
                                <DecideReport report_id=report.id open=true />
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="fraud-confirmed-title">
            <h2 id="fraud-confirmed-title">"Confirmed as fraud"</h2>
            <p class="muted small">"Prompts to these people stay blocked for the time the policy sets. Lift a block once the account is safe."</p>
            {if queue.confirmed.is_empty() {
                view! { <p class="muted">"None."</p> }.into_any()
            } else {
                view! {
                    <ul class="methods">
                        {queue.confirmed.into_iter().map(|report| view! {
                            <li class="method" data-testid="confirmed-report">
                                <ReportFacts report=report.clone() />
                                <DecideReport report_id=report.id open=false />
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ReportFacts(report: ReportView) -> impl IntoView {
    view! {
        <div class="method-head">
            <strong><a href=format!("/admin/users/{}", report.person_id)>{report.person}</a></strong>
            <span class="muted">{format!(" ({})", report.username)}</span>
        </div>
        <dl class="facts">
            <dt>"Reported"</dt><dd>{format!("{} UTC from {}", report.reported, report.reported_from)}</dd>
            <dt>"How"</dt><dd>{report.how}</dd>
            <dt>"Sign-in"</dt><dd>{report.sign_in.unwrap_or_else(|| "Not named in the report".to_owned())}</dd>
            {report.notes.filter(|n| !n.is_empty()).map(|notes| view! { <dt>"Notes"</dt><dd>{notes}</dd> })}
        </dl>
    }
}

/// Confirm or dismiss an open report (or lift a confirmed one's block). Keeps a
/// temporary password on screen; otherwise shows the queue again.
#[island(lazy)]
fn DecideReport(report_id: i64, open: bool) -> impl IntoView {
    island_hydrating();
    let decide = ServerAction::<AdminDecideReport>::new();
    let error = Signal::derive(move || decide.value().get().and_then(Result::err));
    let field = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    let temporary = move || {
        decide
            .value()
            .get()
            .and_then(Result::ok)
            .and_then(|d| d.temporary_password)
    };
    let reload = reload_page();
    Effect::new(move |_| {
        if matches!(decide.value().get(), Some(Ok(done)) if done.temporary_password.is_none()) {
            reload.run(());
        }
    });
    let id = move |name: &str| format!("report-{report_id}-{name}");
    let decision_error = field("decision");
    let notes_error = field("notes");
    view! {
        <div>
            {move || temporary().map(|password| view! {
                <div class="alert alert-ok" role="status">
                    <p>"Decision saved. Temporary password (shown only now; read it to the person):"</p>
                    <p><code class="secret" data-testid="temporary-password">{password}</code></p>
                </div>
            })}
            <ActionForm action=decide attr:class="form" attr:novalidate=true>
                <FormAlert error=Signal::derive(move || error.get().filter(|e| e.for_field("decision").is_none() && e.for_field("notes").is_none())) />
                {move || matches!(error.get(), Some(AppError::ReauthenticationRequired)).then(|| view! {
                    <p class="muted small"><a href="/security">"Confirm it's you on your Security info"</a>", then come back."</p>
                })}
                <input type="hidden" name="report_id" value=report_id />
                {if open {
                    view! {
                        <fieldset class="field" aria-describedby=move || decision_error.get().map(|_| id("decision-error"))>
                            <legend>"Decision"</legend>
                            <label><input type="radio" name="decision" value="confirm" checked=true />" Fraud: keep prompts blocked"</label>
                            <label><input type="radio" name="decision" value="dismiss" />" Not fraud: dismiss and lift the block"</label>
                            <label><input type="checkbox" name="require_reregistration" value="on" />" Also require re-registration"</label>
                            <label><input type="checkbox" name="reset_password" value="on" />" Also reset the password"</label>
                            {move || decision_error.get().map(|text| view! { <p class="field-error" id=id("decision-error")>{text}</p> })}
                        </fieldset>
                    }.into_any()
                } else {
                    view! { <input type="hidden" name="decision" value="dismiss" /> }.into_any()
                }}
                <div class="field" class:field-invalid=move || notes_error.get().is_some()>
                    <label for=id("notes")>"Note for the log (optional)"</label>
                    <textarea id=id("notes") name="notes" rows="2" aria-invalid=move || notes_error.get().is_some().then_some("true")></textarea>
                    {move || notes_error.get().map(|text| view! { <p class="field-error">{text}</p> })}
                </div>
                <button type="submit" class="btn">{if open { "Save decision" } else { "Lift the block" }}</button>
            </ActionForm>
        </div>
    }
}
