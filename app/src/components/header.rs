//! The top bar: brand, navigation for the caller's role, and signing out.

use crate::api::session::SignOut;
use crate::domain::Role;
use crate::domain::views::CallerView;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Header(user: CallerView) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let role = user.role;
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <div class="topbar-inner">
                <a class="brand" href="/account">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    "MFA Portal"
                </a>
                <nav aria-label="Main" class="mainnav">
                    <ul>
                        <li><A href="/account">"My account"</A></li>
                        <li><A href="/security" exact=true>"Security info"</A></li>
                        <li><A href="/security/sign-ins">"My sign-ins"</A></li>
                        {role.includes(Role::Helpdesk).then(|| view! { <li><A href="/helpdesk">"Helpdesk"</A></li> })}
                        {role.includes(Role::Admin).then(|| view! { <li><A href="/admin">"Admin"</A></li> })}
                    </ul>
                </nav>
                <div class="whoami">
                    <span class="whoami-name" title=user.username.clone()>{user.display_name.clone()}</span>
                    <ActionForm action=sign_out>
                        <button type="submit" class="btn btn-quiet">"Sign out"</button>
                    </ActionForm>
                </div>
            </div>
        </header>
    }
    .into_any()
}
