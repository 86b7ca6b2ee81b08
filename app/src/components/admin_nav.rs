//! The admin section's own navigation, under its band.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn AdminNav() -> impl IntoView {
    view! {
        <nav class="area-nav" aria-label="Admin">
            <ul>
                <li><A href="/admin" exact=true>"Overview"</A></li>
                <li><A href="/admin/users">"People"</A></li>
                <li><A href="/admin/import">"Import"</A></li>
                <li><A href="/admin/tokens">"Tokens"</A></li>
                <li><A href="/admin/fraud">"Fraud reports"</A></li>
                <li><A href="/admin/policies">"Policies"</A></li>
                <li><A href="/admin/audit">"Audit log"</A></li>
            </ul>
        </nav>
    }
}
