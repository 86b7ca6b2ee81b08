//! The document shell and the route table. Rendered on the server only: the
//! browser hydrates the islands inside the pages (`browser.rs`), not this tree.

use crate::pages::{
    AccountPage, AdminAuditPage, AdminFraudPage, AdminImportJobPage, AdminImportPage,
    AdminNewPersonPage, AdminPage, AdminPeoplePage, AdminPersonPage, AdminPoliciesPage,
    AdminTokensPage, AuthenticatorPage, DevPhonePage, HelpdeskPage, HelpdeskPersonPage, HomePage,
    NewPasswordPage, NotFoundPage, PassSignInPage, RegisterPage, ReportSignInPage, SecondStepPage,
    SecurityPage, SetupDonePage, SetupPage, SignInHistoryPage, SignInPage,
};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::csp::provide_request_nonce();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/mfa-portal.css" />
        <Title formatter=|page: String| format!("{page} · MFA Portal") />
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in/verify") view=SecondStepPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in/register") view=RegisterPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in/new-password") view=NewPasswordPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in/pass") view=PassSignInPage ssr=SsrMode::Async />
                <Route path=path!("/set-up") view=SetupPage ssr=SsrMode::Async />
                <Route path=path!("/authenticator") view=AuthenticatorPage ssr=SsrMode::Async />
                <Route path=path!("/set-up/done") view=SetupDonePage ssr=SsrMode::Async />
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                <Route path=path!("/security") view=SecurityPage ssr=SsrMode::Async />
                <Route path=path!("/security/sign-ins") view=SignInHistoryPage ssr=SsrMode::Async />
                <Route path=path!("/security/sign-ins/report") view=ReportSignInPage ssr=SsrMode::Async />
                <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                <Route path=path!("/admin/users") view=AdminPeoplePage ssr=SsrMode::Async />
                <Route path=path!("/admin/users/new") view=AdminNewPersonPage ssr=SsrMode::Async />
                <Route path=path!("/admin/users/:id") view=AdminPersonPage ssr=SsrMode::Async />
                <Route path=path!("/admin/policies") view=AdminPoliciesPage ssr=SsrMode::Async />
                <Route path=path!("/admin/audit") view=AdminAuditPage ssr=SsrMode::Async />
                <Route path=path!("/admin/fraud") view=AdminFraudPage ssr=SsrMode::Async />
                <Route path=path!("/admin/import") view=AdminImportPage ssr=SsrMode::Async />
                <Route path=path!("/admin/import/:id") view=AdminImportJobPage ssr=SsrMode::Async />
                <Route path=path!("/admin/tokens") view=AdminTokensPage ssr=SsrMode::Async />
                <Route path=path!("/helpdesk") view=HelpdeskPage ssr=SsrMode::Async />
                <Route path=path!("/helpdesk/people/:id") view=HelpdeskPersonPage ssr=SsrMode::Async />
                <Route path=path!("/dev/phone") view=DevPhonePage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
