//! `/admin/audit`: the audit log. Filter by who acted, whom it concerns, what and
//! which days; pages newest first (keyset); the same entries as a CSV download.

use crate::api::audit_log::admin_audit_log;
use crate::components::{AdminNav, AreaLayout, ErrorAlert, PortalLayout, SelectField, TextField};
use crate::domain::audit_log::{AuditLogPage, AuditLogRow, AuditQuery};
use crate::domain::{AppError, Role};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub const AUDIT_PATH: &str = "/admin/audit";
const EXPORT_PATH: &str = "/admin/audit/export.csv";
const FILTERS: [&str; 5] = ["actor", "person", "action", "from", "to"];

#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let query_map = use_query_map();
    let asked = move || {
        let map = query_map.read();
        AuditQuery {
            actor: map.get("actor"),
            person: map.get("person"),
            action: map.get("action"),
            from: map.get("from"),
            to: map.get("to"),
            before: map.get("before"),
        }
    };
    let page = Resource::new(asked, |q| {
        admin_audit_log(q.actor, q.person, q.action, q.from, q.to, q.before)
    });
    view! {
        <Title text="Audit log · Admin" />
        <PortalLayout required=Role::Admin>
            <AreaLayout area="Admin" summary="Users, MFA states and account safety across the portal.">
                <AdminNav />
                <h1>"Audit log"</h1>
                <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        let asked = asked();
                        match page.await {
                            Ok(page) => view! {
                                <AuditFilters asked=asked.clone() actions=page.actions.clone() error=None />
                                <AuditEntries page asked />
                            }.into_any(),
                            Err(error) => {
                                let beside_a_filter = FILTERS.into_iter().any(|f| error.for_field(f).is_some());
                                view! {
                                    <AuditFilters asked actions=Vec::new() error=Some(error.clone()) />
                                    {(!beside_a_filter).then(|| view! { <ErrorAlert error /> })}
                                }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </AreaLayout>
        </PortalLayout>
    }
}

#[component]
fn AuditFilters(
    asked: AuditQuery,
    actions: Vec<(String, String)>,
    error: Option<AppError>,
) -> impl IntoView {
    let field_error = |field: &'static str| {
        let message = error.as_ref().and_then(|e| e.for_field(field));
        Signal::derive(move || message.clone())
    };
    let picked = |raw: &Option<String>| raw.clone().unwrap_or_default();
    let chosen = picked(&asked.action);
    // Without the list (an error page), the chosen action stays selectable.
    let actions = if actions.is_empty() && !chosen.is_empty() {
        vec![(chosen.clone(), chosen.clone())]
    } else {
        actions
    };
    view! {
        <section class="card" aria-labelledby="audit-filter-title">
            <h2 id="audit-filter-title">"Filter"</h2>
            <form method="get" action=AUDIT_PATH class="filters" novalidate=true>
                <TextField name="actor" label="By (username or system)" required=false value=picked(&asked.actor) error=field_error("actor") />
                <TextField name="person" label="About (username)" required=false value=picked(&asked.person) error=field_error("person") />
                <SelectField name="action" label="What" error=field_error("action")>
                    <option value="" selected=chosen.is_empty()>"Anything"</option>
                    {actions.into_iter().map(|(value, label)| {
                        let selected = value == chosen;
                        view! { <option value=value selected=selected>{label}</option> }
                    }).collect_view()}
                </SelectField>
                <TextField name="from" label="From (UTC day)" hint="YYYY-MM-DD" required=false value=picked(&asked.from) error=field_error("from") />
                <TextField name="to" label="To (UTC day)" hint="YYYY-MM-DD" required=false value=picked(&asked.to) error=field_error("to") />
                <div class="filter-actions">
                    <button type="submit" class="btn btn-primary">"Show"</button>
                    <a class="btn" href=AUDIT_PATH>"Clear"</a>
                </div>
            </form>
        </section>
    }
}

#[component]
fn AuditEntries(page: AuditLogPage, asked: AuditQuery) -> impl IntoView {
    let first = asked
        .before
        .is_some()
        .then(|| audit_link(AUDIT_PATH, &asked, None));
    let next = page
        .next
        .as_deref()
        .map(|cursor| audit_link(AUDIT_PATH, &asked, Some(cursor)));
    let download = audit_link(EXPORT_PATH, &asked, None);
    view! {
        <section class="card" aria-labelledby="audit-entries-title">
            <div class="page-head">
                <h2 id="audit-entries-title">"Entries"</h2>
                <a class="btn" href=download download="audit-log.csv">"Download CSV"</a>
            </div>
            {if page.rows.is_empty() {
                view! { <p class="muted">"No entry matches these filters."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="stacked">
                            <caption class="visually-hidden">"Audit entries, newest first"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"When"</th>
                                    <th scope="col">"By"</th>
                                    <th scope="col">"About"</th>
                                    <th scope="col">"What"</th>
                                    <th scope="col">"Detail"</th>
                                    <th scope="col">"From"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {page.rows.into_iter().map(|row| view! { <EntryRow row /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <nav class="pager" aria-label="Pages of the audit log">
                {first.map(|href| view! { <a href=href>"Newest entries"</a> })}
                {next.map(|href| view! { <a href=href>"Older entries →"</a> })}
            </nav>
        </section>
    }
}

#[component]
fn EntryRow(row: AuditLogRow) -> impl IntoView {
    let about = match (row.person, row.person_id) {
        (Some(name), Some(id)) => {
            view! { <a href=format!("/admin/users/{id}")>{name}</a> }.into_any()
        }
        _ => view! { <span class="muted">"—"</span> }.into_any(),
    };
    view! {
        <tr data-testid="audit-entry">
            <td data-label="When"><time datetime=row.when_iso>{row.when}</time></td>
            <td data-label="By">{row.actor}</td>
            <td data-label="About">{about}</td>
            <td data-label="What">{row.action}</td>
            <td data-label="Detail">{row.detail}</td>
            <td data-label="From">{row.ip}</td>
        </tr>
    }
}

/// `path` with the filters of `asked`, starting before `cursor` (or at the newest).
fn audit_link(path: &str, asked: &AuditQuery, cursor: Option<&str>) -> String {
    let filters = [
        ("actor", &asked.actor),
        ("person", &asked.person),
        ("action", &asked.action),
        ("from", &asked.from),
        ("to", &asked.to),
    ];
    let mut params: Vec<(String, String)> = filters
        .into_iter()
        .filter_map(|(key, value)| {
            value
                .as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| (key.to_owned(), v.to_owned()))
        })
        .collect();
    if let Some(cursor) = cursor {
        params.push(("before".to_owned(), cursor.to_owned()));
    }
    crate::pages::links::with_query(path, &params)
}
