//! What every server function uses: the shared state, the caller and its role (read
//! from the browser session, which only this file and `browser_session.rs` touch),
//! the client address, and turning failures into safe errors.
//!
//! During server rendering, Leptos context is only reachable until a server
//! function's first `.await`, so [`request`] captures everything up front and the
//! rest works on that capture.

use super::browser_session;
use crate::domain::{AppError, Role};
use crate::services::Caller;
use crate::services::caller::{
    Admin, CallerRefusal, Enroller, Helpdesk, PendingSignIn, PendingStage, Registering,
};
use crate::services::sessions::{self, Origin};
use crate::services::sign_in::SignedIn;
use crate::services::sign_in_flow::CompletedSignIn;
use crate::state::AppState;
use axum::extract::ConnectInfo;
use http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use std::net::{IpAddr, SocketAddr};
use tower_sessions::Session;

pub use super::responses::REQUEST_ID_HEADER;

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

/// The request and the signed-in administrator, or the refusal.
pub async fn require_admin() -> Result<(RequestContext, Admin), AppError> {
    let ctx = request()?;
    let caller = ctx.require_user().await?;
    match caller.as_admin() {
        Ok(admin) => Ok((ctx, admin)),
        Err(refusal) => {
            tracing::warn!(user_id = caller.actor.id.0, role = %caller.actor.role, "admin section refused");
            Err(ctx.refuse(refusal))
        }
    }
}

/// The request and the signed-in helpdesk agent (or administrator), or the refusal.
pub async fn require_helpdesk() -> Result<(RequestContext, Helpdesk), AppError> {
    let ctx = request()?;
    let caller = ctx.require_user().await?;
    match caller.as_helpdesk() {
        Ok(agent) => Ok((ctx, agent)),
        Err(refusal) => {
            tracing::warn!(user_id = caller.actor.id.0, role = %caller.actor.role, "helpdesk area refused");
            Err(ctx.refuse(refusal))
        }
    }
}

impl RequestContext {
    /// The signed-in caller, or `None`; never refuses (pages use it to choose a view).
    pub async fn caller_if_any(&self) -> Result<Option<Caller>, AppError> {
        browser_session::current(&self.state, &self.session)
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
        if caller.actor.role.includes(required) {
            return Ok(caller);
        }
        tracing::warn!(user_id = caller.actor.id.0, role = %caller.actor.role, %required, "role refused");
        Err(self.refuse(AppError::Forbidden))
    }

    /// The half-signed-in sign-in of this session at `stage`, or `SignInExpired`.
    pub async fn pending(&self, stage: PendingStage) -> Result<PendingSignIn, AppError> {
        browser_session::pending(&self.state, &self.session, stage)
            .await
            .map_err(|e| self.internal(e))?
            .ok_or_else(|| self.refuse(AppError::SignInExpired))
    }

    /// Who may add a method now: the signed-in caller with a recent second factor,
    /// or the person registering their first method at sign-in.
    pub async fn enroller(&self) -> Result<Enroller, AppError> {
        if let Some(caller) = self.caller_if_any().await? {
            let verified = caller
                .recently_verified(self.state.clock.now())
                .map_err(|refusal| self.refuse(refusal))?;
            return Ok(Enroller::Verified(verified));
        }
        let pending =
            browser_session::pending(&self.state, &self.session, PendingStage::MustRegister)
                .await
                .map_err(|e| self.internal(e))?
                .ok_or_else(|| self.refuse(AppError::NotSignedIn))?;
        let person = crate::store::users::find_by_id(&self.state.db, pending.user())
            .await
            .map_err(|e| self.internal(e))?
            .ok_or_else(|| self.refuse(AppError::SignInExpired))?;
        Ok(Enroller::Registering(Registering {
            person: person.into(),
            pending,
        }))
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

    /// Where this request comes from, for sessions and sign-in events.
    pub fn origin(&self) -> Result<Origin, AppError> {
        Ok(Origin {
            ip: self.client_ip()?.to_string(),
            user_agent: self.user_agent(),
        })
    }

    /// Starts the signed-in session for this browser after the password alone (no
    /// second step due).
    pub async fn start_session(&self, signed_in: SignedIn, verified: bool) -> Result<(), AppError> {
        let origin = self.origin()?;
        let record = sessions::open(&self.state, &signed_in, &origin, verified)
            .await
            .map_err(|e| self.internal(e))?;
        browser_session::store_signed_in(&self.session, record)
            .await
            .map_err(|e| self.internal(e))
    }

    /// Stores a sign-in completed by `services::sign_in_flow` under a new session
    /// id, and sets the remembered-browser cookie when there is one.
    pub async fn finish_sign_in(&self, completed: CompletedSignIn) -> Result<(), AppError> {
        browser_session::store_signed_in(&self.session, completed.record)
            .await
            .map_err(|e| self.internal(e))?;
        if let Some(token) = completed.remember_token {
            let policy = &self.state.policy;
            let days = crate::services::portal_settings::current(&self.state)
                .await
                .map_err(|e| self.internal(e))?
                .remember_browser_days;
            let max_age = days * 86_400;
            let (name, secure) = remembered_cookie(policy.secure_cookies);
            self.set_cookie(&format!(
                "{name}={token}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Lax{secure}"
            ));
        }
        Ok(())
    }

    /// After a correct password with a step still due.
    pub async fn start_pending(
        &self,
        signed_in: SignedIn,
        stage: PendingStage,
    ) -> Result<(), AppError> {
        let pending = PendingSignIn {
            user_id: signed_in.user_id.0,
            stage,
            started_at: self.state.clock.now(),
            event_id: signed_in.event_id,
            session_epoch: signed_in.session_epoch,
        };
        browser_session::store_pending(&self.session, pending)
            .await
            .map_err(|e| self.internal(e))
    }

    /// Records the step-up a service just confirmed.
    pub async fn mark_verified(&self) -> Result<(), AppError> {
        browser_session::mark_verified(&self.session, self.state.clock.now())
            .await
            .map_err(|e| self.internal(e))
    }

    /// Keeps this session after the caller's other sessions were ended.
    pub async fn continue_in_epoch(&self, epoch: i64) -> Result<(), AppError> {
        browser_session::continue_in_epoch(&self.state, &self.session, epoch)
            .await
            .map_err(|e| self.internal(e))
    }

    /// Starts the agent's view of someone's portal in this session.
    pub async fn start_viewing(
        &self,
        grant: crate::services::helpdesk::view_as::ViewGrant,
    ) -> Result<(), AppError> {
        browser_session::start_viewing(&self.session, grant)
            .await
            .map_err(|e| self.internal(e))
    }

    /// Ends the agent's view in this session.
    pub async fn stop_viewing(&self) -> Result<(), AppError> {
        browser_session::stop_viewing(&self.session)
            .await
            .map_err(|e| self.internal(e))
    }

    /// The view this session holds, if any.
    pub async fn viewing_grant(
        &self,
    ) -> Result<Option<crate::services::helpdesk::view_as::ViewGrant>, AppError> {
        browser_session::viewing_grant(&self.session)
            .await
            .map_err(|e| self.internal(e))
    }

    /// The path of the request (the page's, when a page calls a server function
    /// while it renders).
    pub fn path(&self) -> &str {
        self.parts.uri.path()
    }

    pub async fn sign_out(&self) -> Result<(), AppError> {
        browser_session::sign_out(&self.state, &self.session)
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

    /// Logs the cause chain under the request id; the browser gets only the id. A
    /// caller refusal a service raised (acting for someone, no recent step-up)
    /// is not a failure: it is refused with its own message.
    pub fn internal(&self, err: anyhow::Error) -> AppError {
        if let Some(refusal) = err.downcast_ref::<CallerRefusal>() {
            return self.refuse(*refusal);
        }
        super::responses::internal(&self.parts.headers, &err)
    }

    /// Sets the HTTP status that matches `err` for script callers. Plain form posts
    /// keep the redirect back to the form that Leptos sets up, so their status is
    /// left alone.
    pub fn refuse(&self, err: impl Into<AppError>) -> AppError {
        let err = err.into();
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

/// The remembered-device cookie's name and `Secure` flag for this deployment.
pub fn remembered_cookie(secure: bool) -> (String, &'static str) {
    use crate::services::remembered::COOKIE_NAME;
    if secure {
        (format!("__Host-{COOKIE_NAME}"), "; Secure")
    } else {
        (COOKIE_NAME.to_owned(), "")
    }
}
