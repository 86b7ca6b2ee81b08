//! `/helpdesk`: the helpdesk area.

use crate::api::admin::helpdesk_locked_accounts;
use crate::components::{AreaLayout, Loaded, PortalLayout};
use crate::domain::Role;
use crate::domain::views::LockedAccountView;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HelpdeskPage() -> impl IntoView {
    view! {
        <Title text="Helpdesk" />
        <PortalLayout required=Role::Helpdesk>
            <AreaLayout area="Helpdesk" summary="Help people get back into their accounts.">
                <HelpdeskOverview />
            </AreaLayout>
        </PortalLayout>
    }
}

#[component]
fn HelpdeskOverview() -> impl IntoView {
    let locked = Resource::new(|| (), |_| helpdesk_locked_accounts());
    view! {
        <h1>"Helpdesk"</h1>
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
