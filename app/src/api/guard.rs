//! What every server function uses: the shared state, the session, the caller and
//! its role, the client address, and turning failures into safe errors.
//!
//! During server rendering, Leptos context is only reachable until a server
//! function's first `.await`, so [`request`] captures everything up front and the
//! rest works on that capture.

use crate::domain::{AppError, Role};
use crate::services::{Caller, caller};
use crate::state::AppState;
use axum::extract::ConnectInfo;
use http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use std::net::{IpAddr, SocketAddr};
use tower_sessions::Session;

/// The header the request-id layer sets on every request.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The client's address: the peer's, or behind a trusted proxy the last address
/// in `X-Forwarded-For` (the one the proxy added). Shared with `/api/v1`.
pub fn client_address(
    headers: &http::HeaderMap,
    peer: IpAddr,
    trust_forwarded_for: bool,
) -> IpAddr {
    if !trust_forwarded_for {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|v| v.trim().parse::<IpAddr>().ok())
        .next_back()
        .unwrap_or(peer)
}

/// One request as a server function sees it.
pub struct RequestContext {
    pub state: AppState,
    session: Session,
    parts: Parts,
    response: Option<ResponseOptions>,
}

/// Captures the request; call it first, before any `.await`.
pub fn request() -> Result<RequestContext, AppError> {
    let missing = |what: &str| {
        tracing::error!(missing = what, "server function called outside a request");
        AppError::Internal {
            request_id: "unknown".to_owned(),
        }
    };
    let parts = use_context::<Parts>().ok_or_else(|| missing("request parts"))?;
    let state = use_context::<AppState>().ok_or_else(|| missing("AppState"))?;
    let session = parts
        .extensions
        .get::<Session>()
        .cloned()
        .ok_or_else(|| missing("session"))?;
    Ok(RequestContext {
        state,
        session,
        parts,
        response: use_context::<ResponseOptions>(),
    })
}

/// The signed-in caller, or `NotSignedIn`.
pub async fn require_user() -> Result<(RequestContext, Caller), AppError> {
    let ctx = request()?;
    let caller = ctx.require_user().await?;
    Ok((ctx, caller))
}

/// The signed-in caller if their role includes `required`, else `Forbidden`.
pub async fn require_role(required: Role) -> Result<(RequestContext, Caller), AppError> {
    let ctx = request()?;
    let caller = ctx.require_role(required).await?;
    Ok((ctx, caller))
}

impl RequestContext {
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The signed-in caller, or `None`; never refuses (pages use it to choose a view).
    pub async fn caller_if_any(&self) -> Result<Option<Caller>, AppError> {
        caller::current(&self.state, &self.session)
            .await
            .map_err(|e| self.internal(e))
    }

    pub async fn require_user(&self) -> Result<Caller, AppError> {
        self.caller_if_any()
            .await?
            .ok_or_else(|| self.refuse(AppError::NotSignedIn))
    }

    pub async fn require_role(&self, required: Role) -> Result<Caller, AppError> {
        let caller = self.require_user().await?;
        if caller.role.includes(required) {
            return Ok(caller);
        }
        tracing::warn!(user_id = caller.user_id.0, role = %caller.role, %required, "role refused");
        Err(self.refuse(AppError::Forbidden))
    }

    /// The caller's address: the socket peer, or the proxy's last `X-Forwarded-For`
    /// entry when the configuration says a proxy sits in front.
    pub fn client_ip(&self) -> Result<IpAddr, AppError> {
        let peer = self
            .parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
            .ok_or_else(|| self.internal(anyhow::anyhow!("connection info missing")))?;
        Ok(client_address(
            &self.parts.headers,
            peer,
            self.state.policy.trust_forwarded_for,
        ))
    }

    /// Starts the signed-in session for this browser (new session id, recorded
    /// with its address and browser for "Where you're signed in").
    pub async fn start_session(
        &self,
        signed_in: crate::services::sign_in::SignedIn,
        verified: bool,
    ) -> Result<(), AppError> {
        let ip = self.client_ip()?.to_string();
        let user_agent = self.user_agent();
        let origin = caller::Origin {
            ip: &ip,
            user_agent: &user_agent,
        };
        caller::start_session(&self.state, &self.session, signed_in, &origin, verified)
            .await
            .map_err(|e| self.internal(e))
    }

    pub fn user_agent(&self) -> String {
        self.header(http::header::USER_AGENT.as_str())
            .unwrap_or_default()
            .to_owned()
    }

    /// The value of cookie `name` from the request, if sent.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_owned())
    }

    /// Adds a `Set-Cookie` header to the response.
    pub fn set_cookie(&self, cookie: &str) {
        if let (Some(options), Ok(value)) = (&self.response, http::HeaderValue::from_str(cookie)) {
            options.append_header(http::header::SET_COOKIE, value);
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.parts.headers.get(name)?.to_str().ok()
    }

    /// Logs the cause chain under the request id; the browser gets only the id.
    pub fn internal(&self, err: anyhow::Error) -> AppError {
        let request_id = self
            .header(REQUEST_ID_HEADER)
            .unwrap_or("unknown")
            .to_owned();
        tracing::error!(%request_id, error = ?err, "request failed");
        AppError::Internal { request_id }
    }

    /// Sets the HTTP status that matches `err` for script callers. Plain form posts
    /// keep the redirect back to the form that Leptos sets up, so their status is
    /// left alone.
    pub fn refuse(&self, err: AppError) -> AppError {
        let is_form_post = self
            .header(http::header::ACCEPT.as_str())
            .is_some_and(|v| v.contains("text/html"));
        if let (false, Some(options)) = (is_form_post, &self.response)
            && let Ok(status) = http::StatusCode::from_u16(err.status_code())
        {
            options.set_status(status);
        }
        err
    }
}
