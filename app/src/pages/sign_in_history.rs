//! `/security/sign-ins`: My sign-ins. Every attempt on the account, newest first,
//! filtered by result and dates, paged by cursor, exportable as CSV; each row can be
//! reported ("This wasn't me").

use super::links::with_query;
use crate::api::history::sign_in_history;
use crate::components::{ErrorAlert, PortalLayout, TextField};
use crate::domain::history::{HistoryPageView, HistoryQuery, HistoryRowView, ResultFilter};
use crate::domain::{AppError, Role};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

pub const HISTORY_PATH: &str = "/security/sign-ins";
const EXPORT_PATH: &str = "/security/sign-ins/export.csv";

#[component]
pub fn SignInHistoryPage() -> impl IntoView {
    view! {
        <Title text="My sign-ins" />
        <PortalLayout required=Role::User>
            <HistoryPanel />
        </PortalLayout>
    }
}

#[component]
fn HistoryPanel() -> impl IntoView {
    let query_map = use_query_map();
    let query = move || {
        let map = query_map.read();
        HistoryQuery {
            result: map.get("result"),
            from: map.get("from"),
            to: map.get("to"),
            before: map.get("before"),
            after: map.get("after"),
        }
    };
    let page = Resource::new(query, |q| {
        sign_in_history(q.result, q.from, q.to, q.before, q.after)
    });
    view! {
        <h1>"My sign-ins"</h1>
        <p class="lede">"Every attempt to sign in to your account, newest first. Times are in UTC. If you see one you did not make, report it."</p>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let asked = query();
                match page.await {
                    Ok(page) => view! {
                        <HistoryFilters asked=asked.clone() error=None />
                        <HistoryResults page asked />
                    }.into_any(),
                    Err(error) => view! {
                        <HistoryFilters asked error=Some(error.clone()) />
                        {(!is_filter_error(&error)).then(|| view! { <ErrorAlert error /> })}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

fn is_filter_error(error: &AppError) -> bool {
    ["result", "from", "to"]
        .into_iter()
        .any(|field| error.for_field(field).is_some())
}

/// A plain GET form: works before the page is interactive, and the address keeps
/// the filters so a page can be bookmarked or shared with the helpdesk.
#[component]
fn HistoryFilters(asked: HistoryQuery, error: Option<AppError>) -> impl IntoView {
    let field_error = |field: &'static str| {
        let message = error.as_ref().and_then(|e| e.for_field(field));
        Signal::derive(move || message.clone())
    };
    let chosen = asked
        .result
        .as_deref()
        .and_then(|r| r.parse::<ResultFilter>().ok())
        .unwrap_or_default();
    let result_error = field_error("result");
    view! {
        <section class="card" aria-labelledby="filter-title">
            <h2 id="filter-title">"Filter"</h2>
            <form method="get" action=HISTORY_PATH class="filters" novalidate=true>
                <div class="field" class:field-invalid=move || result_error.get().is_some()>
                    <label for="field-result">"Result"</label>
                    <select id="field-result" name="result">
                        {ResultFilter::ALL.into_iter().map(|filter| view! {
                            <option value=filter.as_str() selected=filter == chosen>{filter.label()}</option>
                        }).collect_view()}
                    </select>
                    {move || result_error.get().map(|text| view! { <p class="field-error">{text}</p> })}
                </div>
                <TextField name="from" label="From (UTC)" kind="date" required=false value=asked.from.clone().unwrap_or_default() error=field_error("from") />
                <TextField name="to" label="To (UTC)" kind="date" required=false value=asked.to.clone().unwrap_or_default() error=field_error("to") />
                <div class="filter-actions">
                    <button type="submit" class="btn btn-primary">"Show"</button>
                    <a class="btn" href=HISTORY_PATH>"Clear"</a>
                </div>
            </form>
        </section>
    }
}

#[component]
fn HistoryResults(page: HistoryPageView, asked: HistoryQuery) -> impl IntoView {
    let filters = filter_params(&asked);
    let export = with_query(EXPORT_PATH, &filters);
    let at_newest = asked.before.is_none() && asked.after.is_none();
    let link = |cursor_key: &str, cursor: &str| {
        let mut params = filters.clone();
        params.push((cursor_key.to_owned(), cursor.to_owned()));
        with_query(HISTORY_PATH, &params)
    };
    let newer = page.newer.as_deref().map(|c| link("after", c));
    let older = page.older.as_deref().map(|c| link("before", c));
    let newest = (!at_newest).then(|| with_query(HISTORY_PATH, &filters));
    view! {
        <section class="card" aria-labelledby="history-title">
            <div class="section-head">
                <h2 id="history-title">"Sign-ins"</h2>
                <a class="btn btn-quiet" href=export download="sign-ins.csv">"Download CSV"</a>
            </div>
            {if page.rows.is_empty() {
                view! { <p class="muted">"No sign-ins match these filters."</p> }.into_any()
            } else {
                view! { <HistoryTable rows=page.rows /> }.into_any()
            }}
            <nav class="pager" aria-label="Pages of sign-ins">
                {newest.map(|href| view! { <A href=href>"Newest"</A> })}
                {newer.map(|href| view! { <A href=href>"← Newer"</A> })}
                {older.map(|href| view! { <A href=href>"Older →"</A> })}
            </nav>
        </section>
    }
}

#[component]
fn HistoryTable(rows: Vec<HistoryRowView>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="history stacked">
                <caption class="visually-hidden">"Sign-in attempts, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"When"</th>
                        <th scope="col">"Result"</th>
                        <th scope="col">"Method"</th>
                        <th scope="col">"App"</th>
                        <th scope="col">"From"</th>
                        <th scope="col"><span class="visually-hidden">"Report"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <HistoryRow row /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn HistoryRow(row: HistoryRowView) -> impl IntoView {
    let badge = if row.succeeded {
        "badge badge-ok"
    } else {
        "badge badge-muted"
    };
    let report = if row.reported {
        view! { <span class="badge badge-strong">"Reported"</span> }.into_any()
    } else {
        let href = format!("{HISTORY_PATH}/report?event={}", row.id);
        view! {
            <a class="btn btn-quiet btn-danger" href=href>
                "This wasn't me"<span class="visually-hidden">{format!(": {}", row.when)}</span>
            </a>
        }
        .into_any()
    };
    view! {
        <tr data-testid="history-row">
            <td data-label="When"><time datetime=row.when_iso>{row.when}</time></td>
            <td data-label="Result">
                <span class=badge>{row.result}</span>
                <span class="note">{row.result_detail}</span>
            </td>
            <td data-label="Method">{row.method}</td>
            <td data-label="App">{row.app}</td>
            <td data-label="From">{row.ip}<span class="note">{row.device}</span></td>
            <td class="row-action">{report}</td>
        </tr>
    }
}

/// The filters of the request, without its cursor.
fn filter_params(asked: &HistoryQuery) -> Vec<(String, String)> {
    [
        ("result", &asked.result),
        ("from", &asked.from),
        ("to", &asked.to),
    ]
    .into_iter()
    .filter_map(|(key, value)| {
        value
            .as_deref()
            .filter(|v| !v.is_empty())
            .map(|v| (key.to_owned(), v.to_owned()))
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_filters_and_encode_odd_input() {
        let asked = HistoryQuery {
            result: Some("failure".to_owned()),
            from: Some("2026-11-01".to_owned()),
            to: Some("a&b=c".to_owned()),
            before: Some("1.2".to_owned()),
            after: None,
        };
        let params = filter_params(&asked);
        assert_eq!(
            with_query(HISTORY_PATH, &params),
            "/security/sign-ins?result=failure&from=2026-11-01&to=a%26b%3Dc"
        );
        assert_eq!(with_query(EXPORT_PATH, &[]), EXPORT_PATH);
    }
}
