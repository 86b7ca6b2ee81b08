use crate::helpers::{PASSWORD, TestApp, new_client, spawn};
use app::domain::Role;
use reqwest::{Client, StatusCode};

/// A server function, a whole form for it, and the status an admin gets.
type FunctionCase<'a> = (&'a str, Vec<(&'a str, &'a str)>, StatusCode);

async fn signed_in(t: &TestApp, role: Option<Role>) -> Client {
    let client = new_client();
    if let Some(role) = role {
        let username = format!("{}-person", role.as_str());
        t.create_user(&username, role).await;
        t.sign_in_as(&client, &username, PASSWORD).await;
    }
    client
}

/// Every staff page and server function against every role.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_areas_admit_exactly_the_roles_they_are_for() {
    let t = spawn().await;
    let roles = [
        None,
        Some(Role::User),
        Some(Role::Helpdesk),
        Some(Role::Admin),
    ];
    for role in roles {
        let client = signed_in(&t, role).await;
        let allowed = |needed: Role| role.is_some_and(|r| r.includes(needed));
        for (page, needed) in [
            ("/admin", Role::Admin),
            ("/admin/users", Role::Admin),
            ("/admin/users/new", Role::Admin),
            ("/admin/policies", Role::Admin),
            ("/admin/audit", Role::Admin),
            ("/admin/fraud", Role::Admin),
            ("/admin/import", Role::Admin),
            ("/admin/tokens", Role::Admin),
            ("/helpdesk", Role::Helpdesk),
            ("/helpdesk?q=person", Role::Helpdesk),
            ("/account", Role::User),
        ] {
            let status = t.get(&client, page).await.status();
            let expected = match (role, allowed(needed)) {
                (None, _) => StatusCode::FOUND,
                (_, true) => StatusCode::OK,
                (_, false) => StatusCode::FORBIDDEN,
            };
            assert_eq!(status, expected, "{page} as {role:?}");
        }
        for (function, needed) in [
            ("/api/admin_overview", Role::Admin),
            ("/api/admin_directory", Role::Admin),
            ("/api/admin_policies", Role::Admin),
            ("/api/admin_audit_log", Role::Admin),
            ("/api/admin_fraud_queue", Role::Admin),
            ("/api/admin_dashboard", Role::Admin),
            ("/api/admin_imports", Role::Admin),
            ("/api/admin_tokens", Role::Admin),
            ("/api/helpdesk_locked_accounts", Role::Helpdesk),
            ("/api/helpdesk_search", Role::Helpdesk),
        ] {
            let status = t.post_form(&client, function, &[]).await.status();
            let expected = match (role, allowed(needed)) {
                (None, _) => StatusCode::UNAUTHORIZED,
                (_, true) => StatusCode::OK,
                (_, false) => StatusCode::FORBIDDEN,
            };
            assert_eq!(status, expected, "{function} as {role:?}");
        }
        // The admin's actions, with whole forms about a person who does not exist
        // (or, for creation, a new one): refused before anything is looked up.
        let nobody = [("user_id", "999999")];
        let actions: [FunctionCase; 17] = [
            ("/api/admin_person", nobody.to_vec(), StatusCode::NOT_FOUND),
            (
                "/api/admin_issue_pass",
                nobody.to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/admin_decide_report",
                [
                    ("report_id", "999999"),
                    ("decision", "dismiss"),
                    ("notes", ""),
                ]
                .to_vec(),
                StatusCode::CONFLICT,
            ),
            (
                "/api/admin_set_policy",
                [("key", "lockout_threshold"), ("value", "12")].to_vec(),
                StatusCode::OK,
            ),
            (
                "/api/admin_set_mfa_state",
                [nobody[0], ("mfa_state", "enabled")].to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/admin_account_action",
                [nobody[0], ("action", "lock")].to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/admin_reset_password",
                nobody.to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/admin_grant_bypass",
                [nobody[0], ("seconds", "300"), ("reason", "matrix")].to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/admin_set_org_phone",
                [
                    nobody[0],
                    ("number", "+31 6 12345678"),
                    ("phone_type", "mobile"),
                    ("use_for", "sms"),
                ]
                .to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/admin_import",
                [("job_id", "999999")].to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/admin_import_progress",
                [("job_id", "999999")].to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/admin_start_import",
                [("job_id", "999999")].to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/admin_assign_token",
                [
                    ("username", "nobody"),
                    ("serial", "X-1"),
                    ("code", "123456"),
                ]
                .to_vec(),
                StatusCode::BAD_REQUEST,
            ),
            (
                "/api/admin_resync_token",
                [
                    ("resync_serial", "X-1"),
                    ("first_code", "123456"),
                    ("second_code", "654321"),
                ]
                .to_vec(),
                StatusCode::BAD_REQUEST,
            ),
            (
                "/api/admin_remove_method",
                [nobody[0], ("method_id", "1")].to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/admin_edit_profile",
                [
                    nobody[0],
                    ("display_name", "Nobody"),
                    ("email", "nobody@example.com"),
                    ("role", "user"),
                ]
                .to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/admin_create_person",
                [
                    ("username", "matrix-person"),
                    ("display_name", "Matrix"),
                    ("email", "matrix@example.com"),
                    ("role", "user"),
                    ("mfa_state", "enabled"),
                ]
                .to_vec(),
                StatusCode::OK,
            ),
        ];
        for (function, form, when_allowed) in &actions {
            let status = t.post_form(&client, function, form).await.status();
            let expected = match (role, allowed(Role::Admin)) {
                (None, _) => StatusCode::UNAUTHORIZED,
                (_, true) => *when_allowed,
                (_, false) => StatusCode::FORBIDDEN,
            };
            assert_eq!(status, expected, "{function} as {role:?}");
        }
        // The helpdesk's actions, about a person who does not exist.
        let helpdesk_actions: [FunctionCase; 6] = [
            (
                "/api/helpdesk_person",
                nobody.to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/helpdesk_send_caller_code",
                [nobody[0], ("phone_method_id", "1"), ("channel", "sms")].to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/helpdesk_check_caller_code",
                [nobody[0], ("challenge_id", "1"), ("code", "123456")].to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/helpdesk_verify_caller",
                [nobody[0], ("method_id", "1"), ("code", "123456")].to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/helpdesk_unlock",
                nobody.to_vec(),
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/helpdesk_issue_pass",
                nobody.to_vec(),
                StatusCode::NOT_FOUND,
            ),
        ];
        for (function, form, when_allowed) in &helpdesk_actions {
            let status = t.post_form(&client, function, form).await.status();
            let expected = match (role, allowed(Role::Helpdesk)) {
                (None, _) => StatusCode::UNAUTHORIZED,
                (_, true) => *when_allowed,
                (_, false) => StatusCode::FORBIDDEN,
            };
            assert_eq!(status, expected, "{function} as {role:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_refusal_page_is_a_proper_page() {
    let t = spawn().await;
    let client = signed_in(&t, Some(Role::User)).await;
    let res = t.get(&client, "/admin").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let html = res.text().await.unwrap();
    assert!(html.contains("Access denied"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_navigation_shows_each_role_its_own_areas() {
    let t = spawn().await;
    for (role, admin_link, helpdesk_link) in [
        (Role::User, false, false),
        (Role::Helpdesk, false, true),
        (Role::Admin, true, true),
    ] {
        let client = signed_in(&t, Some(role)).await;
        let html = t.get(&client, "/account").await.text().await.unwrap();
        assert_eq!(html.contains("href=\"/admin\""), admin_link, "{role:?}");
        assert_eq!(
            html.contains("href=\"/helpdesk\""),
            helpdesk_link,
            "{role:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_overview_counts_users() {
    let t = spawn().await;
    let client = signed_in(&t, Some(Role::Admin)).await;
    t.create_user("bob", Role::User).await;
    let body: serde_json::Value = t
        .post_form(&client, "/api/admin_overview", &[])
        .await
        .json()
        .await
        .unwrap();
    let by_role = body["users_by_role"].as_array().unwrap();
    assert_eq!(by_role[0]["label"], "User");
    assert_eq!(by_role[0]["count"], 1);
    assert_eq!(by_role[2]["count"], 1);
}
