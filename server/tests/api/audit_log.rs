//! The admin's audit-log viewer and its CSV export.

use crate::helpers::{PASSWORD, TestApp, new_client, spawn};
use app::domain::{AuditAction, Role};
use app::services::audit::{self, Actor, AuditRecord};
use app::store::UserId;
use reqwest::{Client, StatusCode};
use serde_json::Value;

async fn admin(t: &TestApp) -> Client {
    t.create_user("root", Role::Admin).await;
    let client = new_client();
    t.sign_in_as(&client, "root", PASSWORD).await;
    client
}

async fn entry(
    t: &TestApp,
    actor: &Actor,
    subject: UserId,
    action: AuditAction,
    detail: &str,
    at: i64,
) {
    let record = AuditRecord {
        actor,
        subject: Some(subject),
        action,
        detail,
        ip: Some("192.0.2.7"),
    };
    audit::record(t.app.state.db.pool(), at, record)
        .await
        .unwrap();
}

async fn search(t: &TestApp, client: &Client, form: &[(&str, &str)]) -> Value {
    let res = t.post_form(client, "/api/admin_audit_log", form).await;
    assert_eq!(res.status(), StatusCode::OK, "{form:?}");
    res.json().await.unwrap()
}

fn details(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["detail"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_are_filtered_and_paged_newest_first_without_gaps() {
    let t = spawn().await;
    let root = admin(&t).await;
    let dana = t.create_user("dana", Role::User).await;
    let erin = t.create_user("erin", Role::User).await;
    let by_root = Actor::User {
        id: UserId(1),
        username: "root".to_owned(),
    };
    let day = 86_400;
    let start = t.clock_now() - 10 * day;
    entry(
        &t,
        &Actor::System("lockout"),
        dana,
        AuditAction::AccountLocked,
        "by the system",
        start,
    )
    .await;
    for n in 0..120 {
        let (subject, action) = if n % 2 == 0 {
            (dana, AuditAction::AccountLocked)
        } else {
            (erin, AuditAction::UserMfaState)
        };
        entry(
            &t,
            &by_root,
            subject,
            action,
            &format!("entry {n}"),
            start + n * 3600,
        )
        .await;
    }

    // Keyset pages over dana's 61 entries: 50, then 11, none twice, newest first.
    let first = search(&t, &root, &[("person", "dana")]).await;
    assert_eq!(first["rows"].as_array().unwrap().len(), 50);
    assert_eq!(details(&first)[0], "entry 118");
    let cursor = first["next"].as_str().unwrap().to_owned();
    let second = search(&t, &root, &[("person", "dana"), ("before", &cursor)]).await;
    assert!(second["next"].is_null());
    let mut all = details(&first);
    all.extend(details(&second));
    assert_eq!(all.len(), 62);
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 62);

    let by_system = search(&t, &root, &[("actor", "lockout")]).await;
    assert_eq!(details(&by_system), ["by the system"]);
    let states = search(
        &t,
        &root,
        &[("action", "user.mfa_state"), ("person", "erin")],
    )
    .await;
    assert!(details(&states).iter().all(|d| {
        let n: i64 = d.trim_start_matches("entry ").parse().unwrap();
        n % 2 == 1
    }));
    // One day: 24 hourly entries, of which 12 about each person.
    let first_day = time::OffsetDateTime::from_unix_timestamp(start + day)
        .unwrap()
        .date()
        .to_string();
    let one_day = search(
        &t,
        &root,
        &[("person", "dana"), ("from", &first_day), ("to", &first_day)],
    )
    .await;
    assert_eq!(one_day["rows"].as_array().unwrap().len(), 12);

    for (form, field) in [
        (vec![("person", "nobody-here")], "person"),
        (vec![("action", "everything")], "action"),
        (vec![("from", "yesterday")], "from"),
        (vec![("from", "2026-11-20"), ("to", "2026-11-10")], "to"),
    ] {
        let res = t.post_form(&root, "/api/admin_audit_log", &form).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{form:?}");
        assert_eq!(
            res.json::<Value>().await.unwrap()["Invalid"]["field"],
            field
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_streams_every_matching_entry_and_only_to_admins() {
    let t = spawn().await;
    let root = admin(&t).await;
    let dana = t.create_user("dana", Role::User).await;
    let by_root = Actor::User {
        id: UserId(1),
        username: "root".to_owned(),
    };
    let now = t.clock_now();
    for n in 0..2_500 {
        entry(
            &t,
            &by_root,
            dana,
            AuditAction::AccountLocked,
            &format!("entry {n}"),
            now,
        )
        .await;
    }
    entry(
        &t,
        &by_root,
        dana,
        AuditAction::PolicyChanged,
        "=HYPERLINK(\"http://x\")",
        now,
    )
    .await;
    let res = root
        .get(t.url("/admin/audit/export.csv?person=dana"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let body = res.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines[0],
        "time_utc,actor,person,action,action_label,detail,ip"
    );
    // Created, then 2,500 locks and the policy entry (three batches).
    assert_eq!(lines.len(), 1 + 2_501 + 1, "every entry once");
    assert!(lines[1].contains("'=HYPERLINK"), "{}", lines[1]);
    let filtered = root
        .get(t.url("/admin/audit/export.csv?person=dana&action=policy.changed"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(filtered.lines().count(), 2);

    let user = new_client();
    t.sign_in_as(&user, "dana", PASSWORD).await;
    let res = user
        .get(t.url("/admin/audit/export.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = new_client()
        .get(t.url("/admin/audit/export.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}
