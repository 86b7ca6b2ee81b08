//! `/admin/users`: the directory. Find people by part of a name, username or e-mail
//! address, filter by role, MFA state, registered methods and account status; pages
//! by username. A plain GET form: the address keeps the search.

use crate::api::directory::admin_directory;
use crate::components::{AdminNav, AreaLayout, ErrorAlert, PortalLayout, SelectField, TextField};
use crate::domain::directory::{
    DirectoryPage, DirectoryQuery, DirectoryRow, RegisteredFilter, StatusFilter,
};
use crate::domain::{AppError, MfaState, Role};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub const PEOPLE_PATH: &str = "/admin/users";

#[component]
pub fn AdminPeoplePage() -> impl IntoView {
    view! {
        <Title text="People · Admin" />
        <PortalLayout required=Role::Admin>
            <AreaLayout area="Admin" summary="Users, MFA states and account safety across the portal.">
                <AdminNav />
                <PeoplePanel />
            </AreaLayout>
        </PortalLayout>
    }
}

#[component]
fn PeoplePanel() -> impl IntoView {
    let query_map = use_query_map();
    let asked = move || {
        let map = query_map.read();
        DirectoryQuery {
            q: map.get("q"),
            role: map.get("role"),
            mfa: map.get("mfa"),
            status: map.get("status"),
            methods: map.get("methods"),
            after: map.get("after"),
        }
    };
    let page = Resource::new(asked, |q| {
        admin_directory(q.q, q.role, q.mfa, q.status, q.methods, q.after)
    });
    view! {
        <div class="page-head">
            <h1>"People"</h1>
            <a class="btn" href=super::admin_new_person::NEW_PERSON_PATH>"New person"</a>
        </div>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let asked = asked();
                match page.await {
                    Ok(page) => view! {
                        <PeopleFilters asked=asked.clone() error=None />
                        <PeopleResults page asked />
                    }.into_any(),
                    Err(error) => {
                        let beside_a_filter = ["q", "role", "mfa", "status", "methods"]
                            .into_iter()
                            .any(|field| error.for_field(field).is_some());
                        view! {
                            <PeopleFilters asked error=Some(error.clone()) />
                            {(!beside_a_filter).then(|| view! { <ErrorAlert error /> })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn PeopleFilters(asked: DirectoryQuery, error: Option<AppError>) -> impl IntoView {
    let field_error = |field: &'static str| {
        let message = error.as_ref().and_then(|e| e.for_field(field));
        Signal::derive(move || message.clone())
    };
    let picked = |raw: &Option<String>| raw.clone().unwrap_or_default();
    let (role, mfa, status, methods) = (
        picked(&asked.role),
        picked(&asked.mfa),
        picked(&asked.status),
        picked(&asked.methods),
    );
    let option = |value: &'static str, label: &'static str, chosen: &str| {
        view! { <option value=value selected=value == chosen>{label}</option> }
    };
    view! {
        <section class="card" aria-labelledby="people-filter-title">
            <h2 id="people-filter-title">"Find people"</h2>
            <form method="get" action=PEOPLE_PATH class="filters" novalidate=true>
                <TextField name="q" label="Name, username or e-mail" required=false value=picked(&asked.q) error=field_error("q") />
                <SelectField name="role" label="Role" error=field_error("role")>
                    {option("any", "Any", &role)}
                    {Role::ALL.into_iter().map(|r| option(r.as_str(), r.label(), &role)).collect_view()}
                </SelectField>
                <SelectField name="mfa" label="MFA state" error=field_error("mfa")>
                    {option("any", "Any", &mfa)}
                    {MfaState::ALL.into_iter().map(|s| option(s.as_str(), s.label(), &mfa)).collect_view()}
                </SelectField>
                <SelectField name="methods" label="Methods" error=field_error("methods")>
                    {RegisteredFilter::ALL.into_iter().map(|f| option(f.as_str(), f.label(), &methods)).collect_view()}
                </SelectField>
                <SelectField name="status" label="Account" error=field_error("status")>
                    {StatusFilter::ALL.into_iter().map(|f| option(f.as_str(), f.label(), &status)).collect_view()}
                </SelectField>
                <div class="filter-actions">
                    <button type="submit" class="btn btn-primary">"Search"</button>
                    <a class="btn" href=PEOPLE_PATH>"Clear"</a>
                </div>
            </form>
        </section>
    }
}

#[component]
fn PeopleResults(page: DirectoryPage, asked: DirectoryQuery) -> impl IntoView {
    let first = (asked.after.is_some()).then(|| people_link(&asked, None));
    let next = page
        .next
        .as_deref()
        .map(|cursor| people_link(&asked, Some(cursor)));
    view! {
        <section class="card" aria-labelledby="people-title">
            <h2 id="people-title">"Results"</h2>
            {if page.rows.is_empty() {
                view! { <p class="muted">"Nobody matches this search."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="stacked">
                            <caption class="visually-hidden">"People matching the search, by username"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Username"</th>
                                    <th scope="col">"E-mail"</th>
                                    <th scope="col">"Role"</th>
                                    <th scope="col">"MFA"</th>
                                    <th scope="col">"Methods"</th>
                                    <th scope="col">"Account"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {page.rows.into_iter().map(|row| view! { <PersonRow row /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <nav class="pager" aria-label="Pages of people">
                {first.map(|href| view! { <a href=href>"First page"</a> })}
                {next.map(|href| view! { <a href=href>"Next page →"</a> })}
            </nav>
        </section>
    }
}

#[component]
fn PersonRow(row: DirectoryRow) -> impl IntoView {
    let href = format!("{PEOPLE_PATH}/{}", row.id);
    let status = match (row.disabled, row.blocked, row.locked) {
        (true, _, _) => view! { <span class="badge badge-strong">"Disabled"</span> }.into_any(),
        (false, true, _) => view! { <span class="badge badge-strong">"Blocked"</span> }.into_any(),
        (false, false, true) => {
            view! { <span class="badge badge-strong">"Locked"</span> }.into_any()
        }
        (false, false, false) => view! { <span class="muted">"Active"</span> }.into_any(),
    };
    view! {
        <tr data-testid="person-row">
            <td data-label="Name"><a href=href>{row.display_name}</a></td>
            <td data-label="Username">{row.username}</td>
            <td data-label="E-mail">{row.email}</td>
            <td data-label="Role">{row.role.label()}</td>
            <td data-label="MFA">{row.mfa_state.label()}</td>
            <td data-label="Methods">{row.methods}</td>
            <td data-label="Account">{status}</td>
        </tr>
    }
}

/// The directory's address for `asked` starting after `cursor` (or at the start).
fn people_link(asked: &DirectoryQuery, cursor: Option<&str>) -> String {
    let filters = [
        ("q", &asked.q),
        ("role", &asked.role),
        ("mfa", &asked.mfa),
        ("status", &asked.status),
        ("methods", &asked.methods),
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
        params.push(("after".to_owned(), cursor.to_owned()));
    }
    crate::pages::links::with_query(PEOPLE_PATH, &params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_keep_the_filters_and_replace_the_cursor() {
        let asked = DirectoryQuery {
            q: Some("kim & co".to_owned()),
            role: Some("admin".to_owned()),
            after: Some("old".to_owned()),
            ..DirectoryQuery::default()
        };
        assert_eq!(
            people_link(&asked, Some("zed")),
            "/admin/users?q=kim%20%26%20co&role=admin&after=zed"
        );
        assert_eq!(
            people_link(&asked, None),
            "/admin/users?q=kim%20%26%20co&role=admin"
        );
    }
}
