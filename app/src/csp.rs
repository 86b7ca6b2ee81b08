//! The per-response nonce that lets Leptos's own inline scripts run under the CSP.
//! The server's header middleware creates it; the shell hands it to Leptos.

/// Inserted into request extensions by the security-headers middleware.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Makes the request's nonce the one Leptos puts on the scripts it renders.
pub fn provide_request_nonce() {
    use leptos::nonce::Nonce;
    use leptos::prelude::{provide_context, use_context};
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(value)) = nonce {
        provide_context(Nonce::from_value(value));
    }
}
