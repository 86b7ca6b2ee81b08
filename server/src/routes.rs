//! The axum router: Leptos pages and server functions, health probes, static files,
//! and the layers every request passes.

use crate::config::Config;
use crate::database::SessionBackend;
use crate::middleware::csrf::{CsrfPolicy, refuse_cross_site};
use crate::middleware::security_headers::{HeaderPolicy, add_security_headers};
use app::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::get;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};
use tracing::Level;

const REQUEST_ID: http::HeaderName = http::HeaderName::from_static("x-request-id");
/// No request waits longer for its answer (a stuck lock, a dead peer): it is
/// answered 503 and its work is dropped. Streamed bodies (CSV exports) are not timed
/// once their headers are out. The slowest legitimate answer, checking a 50,000-row
/// import, takes a few seconds.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

pub fn router(state: AppState, config: &Config, sessions: SessionBackend) -> Router {
    let options = state.leptos_options.clone();
    let pkg_dir =
        std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let context_state = state.clone();
    let state_for_hooks = state.clone();
    let state_for_uploads = state.clone();
    let state_for_guard = state.clone();
    let provide_state = move || provide_context(context_state.clone());
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route(
            crate::api_v1::VERIFY_PATH,
            axum::routing::post(crate::api_v1::verify_app_password),
        )
        .route(
            crate::push_device::DEVICE_PATH,
            get(crate::push_device::poll).post(crate::push_device::post),
        )
        .route(
            crate::push_device::WEB_PUSH_PATH,
            get(crate::push_device::web_push_key).post(crate::push_device::web_push_subscribe),
        )
        .route(
            crate::history_export::EXPORT_PATH,
            get(crate::history_export::export_history),
        )
        .route(
            crate::audit_export::EXPORT_PATH,
            get(crate::audit_export::export_audit_log),
        )
        .route(
            crate::import_routes::RESULT_PATH,
            get(crate::import_routes::result),
        )
        .leptos_routes_with_context(&state, generate_route_list(App), provide_state.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .nest_service(
            "/pkg",
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide_state, shell))
        .with_state(state);
    let app = match voice_webhook_keys(config) {
        Some(keys) => app.route(
            crate::voice_webhook::WEBHOOK_PATH,
            axum::routing::post(crate::voice_webhook::voice_webhook).with_state(
                crate::voice_webhook::WebhookState {
                    app: state_for_hooks,
                    keys: Arc::new(keys),
                },
            ),
        ),
        None => app,
    };
    // Every request body is limited; the import's upload to the size of a file.
    let uploads = Router::new()
        .route(
            crate::import_routes::UPLOAD_PATH,
            axum::routing::post(crate::import_routes::upload),
        )
        .route(
            crate::import_routes::TOKEN_UPLOAD_PATH,
            axum::routing::post(crate::import_routes::upload_tokens),
        )
        .with_state(state_for_uploads)
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(
            crate::import_routes::UPLOAD_BODY_LIMIT,
        ));
    let app = app
        .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
        .merge(uploads)
        // Inside the session layer, so it reads the session; around every route.
        .layer(axum::middleware::from_fn_with_state(
            state_for_guard,
            crate::middleware::read_only_view::refuse_changes_while_viewing,
        ));
    let app = match sessions {
        SessionBackend::Sqlite(store) => app.layer(session_layer(store, config)),
        SessionBackend::Postgres(store) => app.layer(session_layer(store, config)),
    };
    let csrf = Arc::new(CsrfPolicy {
        public_origin: config.public_origin(),
        scheme: config.public_url.scheme().to_owned(),
    });
    let headers = Arc::new(HeaderPolicy {
        https: config.is_https(),
    });
    app.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(request_span)
                    .on_response(DefaultOnResponse::new().level(Level::INFO)),
            )
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                REQUEST_TIMEOUT,
            ))
            .layer(axum::middleware::from_fn_with_state(
                headers,
                add_security_headers,
            ))
            .layer(axum::middleware::from_fn_with_state(
                csrf,
                refuse_cross_site,
            ))
            .layer(CompressionLayer::new()),
    )
}

/// One span per request; the response line inside it carries status and latency.
/// Only the path is logged: query strings may carry tokens.
fn request_span(req: &http::Request<axum::body::Body>) -> tracing::Span {
    let request_id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %request_id)
}

/// The webhook exists only when a gateway is configured: its token signs the calls.
fn voice_webhook_keys(config: &Config) -> Option<crate::voice_webhook::WebhookKeys> {
    if config.phone_provider != Some(crate::config::PhoneProviderKind::Twilio) {
        return None;
    }
    Some(crate::voice_webhook::WebhookKeys {
        auth_token: config.twilio_auth_token.clone()?,
        public_base: config.public_url.as_str().trim_end_matches('/').to_owned(),
    })
}

fn session_layer<S: SessionStore + Clone>(store: S, config: &Config) -> SessionManagerLayer<S> {
    let idle = time::Duration::minutes(i64::from(config.session_idle_minutes));
    // `__Host-` binds the cookie to this exact host over TLS.
    let name = if config.is_https() {
        "__Host-mfa_session"
    } else {
        "mfa_session"
    };
    SessionManagerLayer::new(store)
        .with_name(name)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.is_https())
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle))
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let probe = tokio::time::timeout(Duration::from_secs(2), state.db.is_reachable()).await;
    match probe {
        Ok(true) => (StatusCode::OK, "ready"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable"),
    }
}
