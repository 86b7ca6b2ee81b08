//! `/helpdesk`: find the person who calls (name, username or e-mail; the admin's
//! search without its filters), and the accounts locked right now. A plain GET
//! form: the address keeps the search.

use crate::api::admin::helpdesk_locked_accounts;
use crate::api::helpdesk::helpdesk_search;
use crate::components::{AreaLayout, ErrorAlert, Loaded, PortalLayout, TableCard, TextField};
use crate::domain::Role;
use crate::domain::directory::{DirectoryPage, DirectoryRow};
use crate::domain::views::LockedAccountView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub const HELPDESK_PATH: &str = "/helpdesk";

#[component]
pub fn HelpdeskPage() -> impl IntoView {
    view! {
        <Title text="Helpdesk" />
        <PortalLayout required=Role::Helpdesk>
            <AreaLayout area="Helpdesk" summary="Help people get back into their accounts.">
                <h1>"Helpdesk"</h1>
                <HelpdeskSearch />
                <HelpdeskOverview />
            </AreaLayout>
        </PortalLayout>
    }
}

#[component]
fn HelpdeskSearch() -> impl IntoView {
    let query_map = use_query_map();
    let asked = move || {
        let map = query_map.read();
        (map.get("q"), map.get("after"))
    };
    let page = Resource::new(asked, |(q, after)| helpdesk_search(q, after));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (q, after) = asked();
                match page.await {
                    Ok(page) => view! {
                        <SearchForm q=q.clone().unwrap_or_default() error=None />
                        {q.filter(|q| !q.trim().is_empty()).map(|q| view! { <SearchResults page q after /> })}
                    }.into_any(),
                    Err(error) => {
                        let message = error.for_field("q");
                        view! {
                            <SearchForm q=q.unwrap_or_default() error=message.clone() />
                            {message.is_none().then(|| view! { <ErrorAlert error /> })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn SearchForm(q: String, error: Option<String>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="helpdesk-search-title">
            <h2 id="helpdesk-search-title">"Find the caller"</h2>
            <form method="get" action=HELPDESK_PATH class="filters" novalidate=true>
                <TextField name="q" label="Name, username or e-mail" required=false value=q error=Signal::derive(move || error.clone()) />
                <div class="filter-actions">
                    <button type="submit" class="btn btn-primary">"Search"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn SearchResults(page: DirectoryPage, q: String, after: Option<String>) -> impl IntoView {
    let link = |cursor: Option<&str>| {
        let mut params = vec![("q".to_owned(), q.clone())];
        if let Some(cursor) = cursor {
            params.push(("after".to_owned(), cursor.to_owned()));
        }
        super::links::with_query(HELPDESK_PATH, &params)
    };
    let first = after.is_some().then(|| link(None));
    let next = page.next.as_deref().map(|cursor| link(Some(cursor)));
    view! {
        <TableCard
            id="helpdesk-results-title"
            title="People found"
            caption="People matching the search, by username"
            headers=&["Name", "Username", "E-mail", "Methods", "Account"]
            empty=page.rows.is_empty().then_some("Nobody matches this search.")
        >
            {page.rows.into_iter().map(|row| view! { <FoundRow row /> }).collect_view()}
        </TableCard>
        <nav class="pager" aria-label="Pages of people found">
            {first.map(|href| view! { <a href=href>"First page"</a> })}
            {next.map(|href| view! { <a href=href>"Next page →"</a> })}
        </nav>
    }
}

#[component]
fn FoundRow(row: DirectoryRow) -> impl IntoView {
    let href = format!("{HELPDESK_PATH}/people/{}", row.id);
    let status = match (row.disabled, row.blocked, row.locked) {
        (true, _, _) => "Disabled",
        (false, true, _) => "Blocked",
        (false, false, true) => "Locked",
        (false, false, false) => "Active",
    };
    view! {
        <tr data-testid="found-row">
            <td data-label="Name"><a href=href>{row.display_name}</a></td>
            <td data-label="Username">{row.username}</td>
            <td data-label="E-mail">{row.email}</td>
            <td data-label="Methods">{row.methods}</td>
            <td data-label="Account">{status}</td>
        </tr>
    }
}

#[component]
fn HelpdeskOverview() -> impl IntoView {
    let locked = Resource::new(|| (), |_| helpdesk_locked_accounts());
    view! {
        <Loaded data=locked then=|accounts| view! { <LockedAccountsTable accounts /> } />
    }
    .into_any()
}

/// Accounts locked by repeated failures right now; shared with the admin overview.
#[component]
pub fn LockedAccountsTable(accounts: Vec<LockedAccountView>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="locked-title">
            <h2 id="locked-title">"Locked accounts"</h2>
            {if accounts.is_empty() {
                view! { <p class="muted">"No account is locked right now."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <caption class="visually-hidden">"Accounts locked after repeated failed sign-ins"</caption>
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Username"</th><th scope="col">"Locked until"</th></tr></thead>
                            <tbody>
                                {accounts
                                    .into_iter()
                                    .map(|a| view! { <tr><td>{a.display_name}</td><td>{a.username}</td><td>{a.locked_until}</td></tr> })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}
