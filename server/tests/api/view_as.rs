//! "View as": a helpdesk agent sees a verified caller's portal read-only. Every
//! state-changing server function (walked from the registry, so a new one cannot be
//! forgotten), `/api/v1` and the uploads are refused while it lasts; it is audited
//! page by page, e-mailed and listed in the person's sign-ins; it is refused for
//! admins, agents, oneself, without a reason or a verified caller; it ends by the
//! agent or by the clock.

use crate::helpers::{PASSWORD, TestApp, new_client, spawn};
use crate::totp_helpers::{code_at, error_of, invalid_field, user_with_app};
use app::domain::{ResultCode, Role};
use app::store::UserId;
use reqwest::{Client, Response, StatusCode};

const ALLOWED_WHILE_VIEWING: [&str; 3] = server::middleware::read_only_view::ALLOWED_WHILE_VIEWING;

/// The agent in the middle of a call.
struct Ready {
    dana: UserId,
    agent: Client,
    /// The `Set-Cookie` of the agent's sign-in.
    agent_cookie: String,
}

/// dana with an app, and an agent who verified her by a code.
async fn caller_ready(t: &TestApp) -> Ready {
    let (dana, app) = user_with_app(t, "dana").await;
    t.create_user("agent", Role::Helpdesk).await;
    let agent = new_client();
    let res = t.sign_in_as(&agent, "agent", PASSWORD).await;
    let agent_cookie = t.session_cookie(&res).expect("the sign-in's cookie");
    t.clock.advance_secs(30);
    let (user, method) = (dana.0.to_string(), app.method_id.to_string());
    let code = code_at(&app.secret, t.clock_now(), 0);
    let res = t
        .post_form(
            &agent,
            "/api/helpdesk_verify_caller",
            &[("user_id", &user), ("method_id", &method), ("code", &code)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    Ready {
        dana,
        agent,
        agent_cookie,
    }
}

/// Who a bare request carrying only `cookie` (as `Set-Cookie` gave it) is.
async fn who_with(t: &TestApp, cookie: &str) -> serde_json::Value {
    let pair = cookie.split(';').next().unwrap_or_default().to_owned();
    reqwest::Client::new()
        .post(t.url("/api/current_user"))
        .headers(t.same_origin())
        .header(reqwest::header::COOKIE, pair)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn start_view(
    t: &TestApp,
    agent: &Client,
    user: UserId,
    reason: &str,
    minutes: &str,
) -> Response {
    let id = user.0.to_string();
    t.post_form(
        agent,
        "/api/helpdesk_start_view",
        &[("user_id", &id), ("reason", reason), ("minutes", minutes)],
    )
    .await
}

async fn audit_of(t: &TestApp, user: UserId) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT actor_label, action, detail FROM audit_log WHERE subject_user_id = $1 ORDER BY id",
    )
    .bind(user.0)
    .fetch_all(t.app.state.db.pool())
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_views_a_portal_read_only_and_every_change_is_refused() {
    let t = spawn().await;
    let Ready {
        dana,
        agent,
        agent_cookie,
    } = caller_ready(&t).await;
    let res = start_view(&t, &agent, dana, "ticket 4711", "10").await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    // The session moved to a new id: the one from the agent's sign-in is dead.
    let signed_in_cookie = t
        .session_cookie(&res)
        .expect("a new session id at the start");
    assert_eq!(who_with(&t, &agent_cookie).await, serde_json::Value::Null);
    assert_eq!(who_with(&t, &signed_in_cookie).await["username"], "dana");

    let me = t.whoami(&agent).await;
    assert_eq!(me["username"], "dana", "the agent sees dana's portal");
    assert_eq!(me["viewing"]["reason"], "ticket 4711");
    let html = t.get(&agent, "/security").await.text().await.unwrap();
    assert!(html.contains("data-testid=\"viewing-banner\""));
    assert!(html.contains("Phone"), "dana's app is listed");
    assert!(!html.contains("otpauth://"), "no secret");

    // Every registered server function but the few a view needs.
    let mut walked = 0;
    for (path, _method) in leptos::server_fn::axum::server_fn_paths() {
        if ALLOWED_WHILE_VIEWING.contains(&path) {
            continue;
        }
        let res = t.post_form(&agent, path, &[]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(error_of(res).await, "ReadOnlyView", "{path}");
        walked += 1;
    }
    assert!(walked > 60, "only {walked} server functions walked");
    // The non-browser API and the uploads too.
    for path in [
        "/api/v1/app-password/verify",
        "/admin/import/upload",
        "/admin/tokens/upload",
    ] {
        let res = t.post_form(&agent, path, &[]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(t.whoami(&agent).await["username"], "dana", "still viewing");

    let res = t.post_form(&agent, "/api/helpdesk_stop_view", &[]).await;
    assert!(res.status().is_success() || res.status().is_redirection());
    let back = t
        .session_cookie(&res)
        .expect("a new session id at the stop");
    assert_eq!(
        who_with(&t, &signed_in_cookie).await,
        serde_json::Value::Null
    );
    assert_eq!(who_with(&t, &back).await["username"], "agent");
    assert_eq!(t.whoami(&agent).await["username"], "agent");
    assert_eq!(t.whoami(&agent).await["viewing"], serde_json::Value::Null);

    let audit = audit_of(&t, dana).await;
    let by_agent: Vec<(&str, &str)> = audit
        .iter()
        .filter(|(actor, _, _)| actor == "agent")
        .map(|(_, action, detail)| (action.as_str(), detail.as_str()))
        .collect();
    assert!(
        by_agent.contains(&("view_as.page", "opened /security")),
        "{by_agent:?}"
    );
    let actions: Vec<&str> = by_agent.iter().map(|(action, _)| *action).collect();
    assert_eq!(
        actions,
        [
            "caller.verified",
            "view_as.started",
            "view_as.page",
            "view_as.stopped"
        ]
    );
    assert!(
        by_agent[1]
            .1
            .contains("reason: ticket 4711; for 10 minutes")
    );
    // Nothing else about dana changed.
    assert!(
        audit
            .iter()
            .all(|(actor, _, _)| actor == "agent" || actor == "dana" || actor == "test")
    );

    let mail: String = sqlx::query_scalar(
        "SELECT body FROM outbox WHERE user_id = $1 AND channel = 'email' ORDER BY id DESC",
    )
    .bind(dana.0)
    .fetch_one(t.app.state.db.pool())
    .await
    .unwrap();
    assert!(
        mail.contains(
            "A helpdesk agent, Test agent, viewed your MFA Portal account for “ticket 4711”"
        ),
        "{mail}"
    );
    let seen: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sign_in_events WHERE user_id = $1 AND result_code = $2",
    )
    .bind(dana.0)
    .bind(ResultCode::ViewedByHelpdesk.code())
    .fetch_one(t.app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(seen, 1, "dana sees the visit in My sign-ins");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn views_are_refused_where_they_must_be_and_end_by_the_clock() {
    let t = spawn().await;
    let root = t.create_user("root", Role::Admin).await;
    let colleague = t.create_user("colleague", Role::Helpdesk).await;
    let erin = t.create_user("erin", Role::User).await;
    let Ready { dana, agent, .. } = caller_ready(&t).await;
    let agent_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'agent'")
        .fetch_one(t.app.state.db.pool())
        .await
        .unwrap();
    for target in [root, colleague, UserId(agent_id)] {
        let res = start_view(&t, &agent, target, "ticket 1", "10").await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(error_of(res).await, "NotHelpable");
    }
    // Not verified, no reason, too long.
    let res = start_view(&t, &agent, erin, "ticket 2", "10").await;
    assert_eq!(error_of(res).await, "CallerNotVerified");
    let res = start_view(&t, &agent, dana, " ", "10").await;
    assert_eq!(invalid_field(res).await, "reason");
    let res = start_view(&t, &agent, dana, "ticket 3", "61").await;
    assert_eq!(invalid_field(res).await, "minutes");

    // Five minutes, then the clock runs past: the agent is back on their own.
    let res = start_view(&t, &agent, dana, "ticket 4", "5").await;
    assert!(res.status().is_success() || res.status().is_redirection());
    let id = dana.0.to_string();
    let res = t
        .post_form(&agent, "/api/helpdesk_unlock", &[("user_id", &id)])
        .await;
    assert_eq!(error_of(res).await, "ReadOnlyView");
    t.clock.advance_secs(5 * 60);
    assert_eq!(t.whoami(&agent).await["username"], "agent");
    let actions: Vec<String> = audit_of(&t, dana)
        .await
        .into_iter()
        .map(|(_, action, _)| action)
        .collect();
    assert_eq!(actions.last().map(String::as_str), Some("view_as.expired"));
    let res = t
        .post_form(&agent, "/api/helpdesk_unlock", &[("user_id", &id)])
        .await;
    assert_ne!(error_of(res).await, "ReadOnlyView", "the view is over");
}
