//! Refuses state-changing requests that a browser did not send from the portal's
//! own pages. Fails closed: no `Sec-Fetch-Site` and no `Origin` means refused.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode, header};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct CsrfPolicy {
    /// The public URL's origin, e.g. `https://mfa.example.com`.
    pub public_origin: String,
    /// `http` or `https`, to rebuild an origin from the `Host` header.
    pub scheme: String,
}

/// The non-browser API: authenticated per request (HTTP Basic), never by cookie, so a
/// forged cross-site request carries nothing to abuse.
const COOKIELESS_API_PREFIX: &str = "/api/v1/";
/// The phone gateway's callbacks: signed by the gateway (checked by the handler).
const GATEWAY_WEBHOOK_PREFIX: &str = "/webhooks/";
/// Authenticator apps: every request signed by the device's key or carrying the
/// single-use enrolment credential; the handlers never read the session.
const DEVICE_PREFIX: &str = "/device/";

pub async fn refuse_cross_site(
    State(policy): State<Arc<CsrfPolicy>>,
    req: Request,
    next: Next,
) -> Response {
    if is_safe_method(req.method()) || is_cookieless_api(&req) || is_same_origin(&policy, &req) {
        return next.run(req).await;
    }
    tracing::warn!(method = %req.method(), path = req.uri().path(), "cross-site request refused");
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown")
        .to_owned();
    let body = format!(
        "This request was refused because it did not come from the portal's own pages. \
         Reload the page and try again. Reference: {request_id}"
    );
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        Body::from(body),
    )
        .into_response()
}

fn is_cookieless_api(req: &Request) -> bool {
    let path = req.uri().path();
    path.starts_with(COOKIELESS_API_PREFIX)
        || path.starts_with(GATEWAY_WEBHOOK_PREFIX)
        || path.starts_with(DEVICE_PREFIX)
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_same_origin(policy: &CsrfPolicy, req: &Request) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    if origin == policy.public_origin {
        return true;
    }
    headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|host| origin == format!("{}://{host}", policy.scheme))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> CsrfPolicy {
        CsrfPolicy {
            public_origin: "https://mfa.example.com".into(),
            scheme: "https".into(),
        }
    }

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().method(Method::POST).uri("/api/sign_in");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn only_the_cookieless_api_and_the_signed_webhooks_are_exempt() {
        let api = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/app-password/verify")
            .body(Body::empty())
            .unwrap();
        assert!(is_cookieless_api(&api));
        assert!(!is_cookieless_api(&post(&[])));
        let lookalike = Request::builder()
            .method(Method::POST)
            .uri("/api/v1x/sign_in")
            .body(Body::empty())
            .unwrap();
        assert!(!is_cookieless_api(&lookalike));
        let webhook = Request::builder()
            .method(Method::POST)
            .uri("/webhooks/voice/abc/gather")
            .body(Body::empty())
            .unwrap();
        assert!(is_cookieless_api(&webhook));
    }

    #[test]
    fn a_post_without_origin_information_is_refused() {
        assert!(!is_same_origin(&policy(), &post(&[])));
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(is_same_origin(
            &policy(),
            &post(&[("sec-fetch-site", "same-origin")])
        ));
        let cross = [
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://mfa.example.com"),
        ];
        assert!(!is_same_origin(&policy(), &post(&cross)));
        assert!(!is_same_origin(
            &policy(),
            &post(&[("sec-fetch-site", "same-site")])
        ));
    }

    #[test]
    fn the_origin_must_be_the_public_one_or_the_host_itself() {
        assert!(is_same_origin(
            &policy(),
            &post(&[("origin", "https://mfa.example.com")])
        ));
        let via_host = [
            ("origin", "https://portal.internal:8443"),
            ("host", "portal.internal:8443"),
        ];
        assert!(is_same_origin(&policy(), &post(&via_host)));
        let foreign = [
            ("origin", "https://evil.example"),
            ("host", "mfa.example.com"),
        ];
        assert!(!is_same_origin(&policy(), &post(&foreign)));
        assert!(!is_same_origin(&policy(), &post(&[("origin", "null")])));
    }
}
