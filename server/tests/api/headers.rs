use crate::helpers::{PASSWORD, spawn};
use app::domain::Role;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_the_security_headers() {
    let t = spawn().await;
    let res = t.get(&t.client, "/sign-in").await;
    assert_eq!(res.status(), StatusCode::OK);
    let headers = res.headers();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(headers.contains_key("x-request-id"));
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_owned();
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the inline scripts carry this response's nonce"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authenticated_pages_are_not_stored_by_caches() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    t.sign_in_as(&t.client, "alice", PASSWORD).await;
    let res = t.get(&t.client, "/account").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_change_without_proof_of_origin_is_refused() {
    let t = spawn().await;
    t.create_user("alice", Role::User).await;
    let form = [("username", "alice"), ("password", PASSWORD)];
    let bare = t
        .client
        .post(t.url("/api/sign_in"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), StatusCode::FORBIDDEN);
    let foreign = t
        .client
        .post(t.url("/api/sign_in"))
        .header("origin", "http://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let cross = t
        .client
        .post(t.url("/api/sign_in"))
        .header("sec-fetch-site", "cross-site")
        .header("origin", t.app.url())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    assert!(
        cross
            .text()
            .await
            .unwrap()
            .contains("did not come from the portal")
    );
    assert!(t.whoami(&t.client).await.is_null());
    let same = t
        .client
        .post(t.url("/api/sign_in"))
        .header("sec-fetch-site", "same-origin")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_ne!(same.status(), StatusCode::FORBIDDEN);
    assert_eq!(t.whoami(&t.client).await["username"], "alice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_body_is_refused() {
    let t = spawn().await;
    let huge = "x".repeat(200 * 1024);
    let res = t
        .post_form(
            &t.client,
            "/api/sign_in",
            &[("username", &huge), ("password", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_readiness_answer() {
    let t = spawn().await;
    assert_eq!(
        t.get(&t.client, "/healthz").await.text().await.unwrap(),
        "ok"
    );
    let ready = t.get(&t.client, "/readyz").await;
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(ready.text().await.unwrap(), "ready");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_path_gets_a_404_page() {
    let t = spawn().await;
    let res = t.get(&t.client, "/no/such/page").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("Page not found"));
}
