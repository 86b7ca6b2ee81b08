//! `/admin/tokens`: OATH hardware tokens. Upload the vendor's seed file (a plain
//! form post; the page then shows what it imported and each refused row), assign an
//! unassigned token to a person, resynchronise a counter-based one.

use super::admin_tokens_forms::{AssignTokenForm, ResyncTokenForm};
use crate::api::hardware_tokens::admin_tokens;
use crate::components::{AdminNav, AreaLayout, Loaded, PortalLayout};
use crate::domain::Role;
use crate::domain::hardware_tokens::{TokenImportView, TokensView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const UPLOAD_PATH: &str = "/admin/tokens/upload";

#[component]
pub fn AdminTokensPage() -> impl IntoView {
    let query = use_query_map();
    let import = move || {
        query
            .read()
            .get("import")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let tokens = Resource::new(import, admin_tokens);
    view! {
        <Title text="Hardware tokens · Admin" />
        <PortalLayout required=Role::Admin>
            <AreaLayout area="Admin" summary="Users, MFA states and account safety across the portal.">
                <AdminNav />
                <h1>"Hardware tokens"</h1>
                <Loaded data=tokens then=|tokens| view! { <TokenSections tokens /> } />
            </AreaLayout>
        </PortalLayout>
    }
}

#[component]
fn TokenSections(tokens: TokensView) -> impl IntoView {
    let unassigned_total = tokens.unassigned_total;
    let shown = tokens.unassigned.len();
    view! {
        {tokens.last_import.map(|report| view! { <ImportReport report /> })}
        <section class="card" aria-labelledby="tokens-upload-title">
            <h2 id="tokens-upload-title">"Upload a seed file"</h2>
            <p>
                "The CSV file the token vendor sent, whose first line names the columns "
                <code>"serial"</code>", "<code>"secret"</code>" (hex or base32), "<code>"type"</code>
                " (totp or hotp), "<code>"digits"</code>" (6 or 8), "<code>"period"</code>" (30 or 60, TOTP), and optionally "
                <code>"algorithm"</code>" and "<code>"counter"</code>" (HOTP)."
            </p>
            <p class="muted small">"Seeds are sealed as they arrive and never shown again. A serial already known is left as it is."</p>
            <form method="post" action=UPLOAD_PATH enctype="multipart/form-data" class="form">
                <div class="field">
                    <label for="tokens-file">"Seed file (CSV)"</label>
                    <input id="tokens-file" type="file" name="file" accept=".csv,text/csv" required=true />
                </div>
                <button type="submit" class="btn btn-primary">"Upload tokens"</button>
            </form>
        </section>
        <section class="card" aria-labelledby="tokens-assign-title">
            <h2 id="tokens-assign-title">"Assign a token"</h2>
            <p class="muted small">"With the token in hand: the code it shows proves it is the token of that serial. The person can sign in with it at once and is told by e-mail."</p>
            <AssignTokenForm />
        </section>
        <section class="card" aria-labelledby="tokens-unassigned-title">
            <h2 id="tokens-unassigned-title">{format!("Unassigned ({unassigned_total})")}</h2>
            {if tokens.unassigned.is_empty() {
                view! { <p class="muted">"No unassigned token."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="stacked">
                            <caption class="visually-hidden">"Tokens not assigned to anyone, by serial"</caption>
                            <thead><tr><th scope="col">"Serial"</th><th scope="col">"Kind"</th><th scope="col">"Imported"</th></tr></thead>
                            <tbody>
                                {tokens.unassigned.into_iter().map(|token| view! {
                                    <tr data-testid="unassigned-token">
                                        <td data-label="Serial">{token.serial}</td>
                                        <td data-label="Kind">{token.kind}</td>
                                        <td data-label="Imported">{token.imported}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {(i64::try_from(shown).unwrap_or(0) < unassigned_total).then(|| view! {
                        <p class="muted small">{format!("The first {shown} by serial are listed.")}</p>
                    })}
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="tokens-assigned-title">
            <h2 id="tokens-assigned-title">"Assigned"</h2>
            {if tokens.assigned.is_empty() {
                view! { <p class="muted">"No token is assigned yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="stacked">
                            <caption class="visually-hidden">"Tokens and the people who have them, latest first"</caption>
                            <thead><tr><th scope="col">"Serial"</th><th scope="col">"Person"</th><th scope="col">"Kind"</th><th scope="col">"Assigned"</th></tr></thead>
                            <tbody>
                                {tokens.assigned.into_iter().map(|token| view! {
                                    <tr data-testid="assigned-token">
                                        <td data-label="Serial">{token.serial}</td>
                                        <td data-label="Person"><a href=format!("/admin/users/{}", token.person_id)>{token.person}</a>{format!(" ({})", token.username)}</td>
                                        <td data-label="Kind">{if token.counter_based { "Counter-based (HOTP)" } else { "Time-based (TOTP)" }}</td>
                                        <td data-label="Assigned">{token.assigned}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="tokens-resync-title">
            <h2 id="tokens-resync-title">"Resynchronise a counter-based token"</h2>
            <p class="muted small">"When a person's HOTP token was pressed many times without signing in, its codes run ahead of what the portal accepts (\"out of date\"). Two codes in a row bring it back in step."</p>
            <ResyncTokenForm />
        </section>
    }
}

#[component]
fn ImportReport(report: TokenImportView) -> impl IntoView {
    let refused_file = report.imported == 0 && report.already_known == 0;
    let (class, role) = if report.problems.is_empty() {
        ("alert alert-ok", "status")
    } else {
        ("alert alert-error", "alert")
    };
    view! {
        <div class=class role=role data-testid="token-import-report">
            {(!refused_file).then(|| view! {
                <p>{format!("{}: {} tokens imported, {} already known.", report.file_name, report.imported, report.already_known)}</p>
            })}
            {(!report.problems.is_empty()).then(|| view! {
                <p>{if refused_file { "The file could not be imported:" } else { "Rows not imported (correct them and upload the file again):" }}</p>
                <ul>{report.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            })}
        </div>
    }
}
