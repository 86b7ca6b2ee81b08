//! Bulk import of people from CSV: the upload's dry run with every row's problem,
//! the run by the worker with its progress, the result file, re-running a file, and
//! who may do what.

use crate::helpers::{PASSWORD, TestApp, new_client, spawn};
use crate::totp_helpers::error_of;
use app::domain::{MfaState, Role};
use futures_util::future::join_all;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::time::Duration;

async fn admin(t: &TestApp) -> Client {
    t.create_user("root", Role::Admin).await;
    let client = new_client();
    t.sign_in_as(&client, "root", PASSWORD).await;
    client
}

/// Uploads `text` as the import page's form does; the job's id from the redirect.
pub async fn upload(t: &TestApp, client: &Client, name: &str, text: &[u8]) -> reqwest::Response {
    upload_to(t, client, "/admin/import/upload", name, text).await
}

/// Posts `text` as the file of a page's upload form at `path`.
pub async fn upload_to(
    t: &TestApp,
    client: &Client,
    path: &str,
    name: &str,
    text: &[u8],
) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(text.to_vec())
        .file_name(name.to_owned())
        .mime_str("text/csv")
        .unwrap();
    client
        .post(t.url(path))
        .headers(t.same_origin())
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("the upload completes")
}

async fn upload_job(t: &TestApp, client: &Client, text: &str) -> i64 {
    let res = upload(t, client, "people.csv", text.as_bytes()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    location
        .strip_prefix("/admin/import/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a job's page, not {location}"))
}

async fn job(t: &TestApp, client: &Client, id: i64) -> Value {
    let res = t
        .post_form(client, "/api/admin_import", &[("job_id", &id.to_string())])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

async fn start(t: &TestApp, client: &Client, id: i64) -> reqwest::Response {
    t.post_form(
        client,
        "/api/admin_start_import",
        &[("job_id", &id.to_string())],
    )
    .await
}

/// Follows the job as the progress bar does until the worker has finished it.
async fn wait_until_finished(t: &TestApp, client: &Client, id: i64) -> Value {
    let mut seen_progress = Vec::new();
    for _ in 0..600 {
        let res = t
            .post_form(
                client,
                "/api/admin_import_progress",
                &[("job_id", &id.to_string())],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let progress: Value = res.json().await.unwrap();
        seen_progress.push(progress["processed_rows"].as_i64().unwrap());
        if progress["status"] == "finished" {
            assert!(
                seen_progress.windows(2).all(|w| w[0] <= w[1]),
                "progress only grows: {seen_progress:?}"
            );
            return progress;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the import did not finish: {seen_progress:?}");
}

async fn job_page(t: &TestApp, client: &Client, id: i64) -> String {
    let res = t.get(client, &format!("/admin/import/{id}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.text().await.unwrap()
}

async fn result_file(t: &TestApp, client: &Client, id: i64) -> String {
    let res = t
        .get(client, &format!("/admin/import/{id}/result.csv"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.text().await.unwrap()
}

async fn user_row(t: &TestApp, username: &str) -> Option<(String, String, String, String)> {
    sqlx::query_as("SELECT display_name, email, role, mfa_state FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(t.app.state.db.pool())
        .await
        .unwrap()
}

const HEADER: &str = "username,display_name,email,role,mfa_state,mobile,office\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dry_run_lists_each_rows_problem_next_to_it_and_changes_nothing() {
    let t = spawn().await;
    let root = admin(&t).await;
    t.create_user("frank", Role::User).await;
    let file = format!(
        "{HEADER}\
         erin,Erin E,erin@example.com,user,enforced,+31 6 12345678,\n\
         frank,Frank F,frank@example.com,,,,\n\
         gina,Gina,gina@example.com,boss,,,\n\
         hal,Hal,not-an-address,,,,\n\
         ivy,Ivy,ivy@example.com,,,0612345678,\n\
         joe,Joe,joe@example.com,,,,\n\
         JOE,Joe again,joe2@example.com,,,,\n\
         root,Test root,root@example.com,admin,disabled,,\n"
    );
    let id = upload_job(&t, &root, &file).await;
    let view = job(&t, &root, id).await;
    assert_eq!(view["job"]["progress"]["status"], "checked");
    assert_eq!(view["job"]["progress"]["total_rows"], 8);
    assert_eq!(view["will_create"], 1, "erin");
    assert_eq!(view["will_update"], 1, "frank's name");
    assert_eq!(view["will_stay"], 1, "root as it is");
    let problems: Vec<(i64, String)> = view["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_i64().unwrap(),
                p["problem"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let lines: Vec<i64> = problems.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [4, 5, 6, 7, 8], "{problems:?}");
    assert!(
        problems[0].1.contains("unknown role \"boss\""),
        "{problems:?}"
    );
    assert!(problems[1].1.starts_with("E-mail"), "{problems:?}");
    assert!(problems[2].1.starts_with("Mobile phone"), "{problems:?}");
    assert!(problems[3].1.contains("also on line 8"), "{problems:?}");
    assert!(problems[4].1.contains("also on line 7"), "{problems:?}");
    assert_eq!(user_row(&t, "erin").await, None, "a dry run creates nobody");
    assert_eq!(user_row(&t, "frank").await.unwrap().0, "Test frank");

    let page = t.get(&root, &format!("/admin/import/{id}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("unknown role &quot;boss&quot;") || html.contains("unknown role \"boss\"")
    );
    assert!(
        html.contains("Import 2 rows (skip 5 with problems)"),
        "{html}"
    );

    let check = result_file(&t, &root, id).await;
    let lines: Vec<&str> = check.lines().collect();
    assert_eq!(lines[0], "line,username,display_name,email,result,detail");
    assert!(
        lines[1].starts_with("2,erin,Erin E,erin@example.com,will create"),
        "{check}"
    );
    assert!(lines[3].contains(",problem,"), "{check}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_cannot_be_read_is_refused_with_the_reason_next_to_the_field() {
    let t = spawn().await;
    let root = admin(&t).await;
    for (text, reason) in [
        (
            &b"username,display_name\nerin,Erin\n"[..],
            "no email column",
        ),
        (
            &b"username,display_name,email\n\xff\xfe,Erin,e@example.com\n"[..],
            "not UTF-8",
        ),
        (&b""[..], "empty"),
    ] {
        let res = upload(&t, &root, "bad.csv", text).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
        let view = job(&t, &root, id).await;
        assert_eq!(view["job"]["progress"]["status"], "rejected");
        let problem = view["job"]["problem"].as_str().unwrap();
        assert!(problem.contains(reason), "{problem}");
        let html = t.get(&root, &location).await.text().await.unwrap();
        assert!(html.contains("data-testid=\"import-file-error\""), "{html}");
        assert!(html.contains("aria-invalid=\"true\""), "{html}");
        assert_eq!(start(&t, &root, id).await.status(), StatusCode::CONFLICT);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn running_imports_every_valid_row_and_running_the_file_again_changes_nothing() {
    let t = spawn().await;
    let root = admin(&t).await;
    t.create_user("frank", Role::User).await;
    let file = format!(
        "{HEADER}\
         erin,Erin E,erin@example.com,helpdesk,enforced,+31 6 12345678,+31 20 1234567\n\
         frank,Frank F,frank@example.com,,enabled,,+31 20 7654321\n\
         gina,Gina,gina@example.com,boss,,,\n\
         root,Test root,root@example.com,user,,,\n"
    );
    let id = upload_job(&t, &root, &file).await;
    let res = start(&t, &root, id).await;
    assert_eq!(res.status(), StatusCode::OK);
    let done = wait_until_finished(&t, &root, id).await;
    assert_eq!(
        (
            done["created"].as_i64(),
            done["updated"].as_i64(),
            done["unchanged"].as_i64(),
            done["failed"].as_i64()
        ),
        (Some(1), Some(1), Some(0), Some(2)),
        "{done}"
    );
    let erin = user_row(&t, "erin").await.unwrap();
    assert_eq!(
        erin,
        (
            "Erin E".into(),
            "erin@example.com".into(),
            "helpdesk".into(),
            "enforced".into()
        )
    );
    let frank = user_row(&t, "frank").await.unwrap();
    assert_eq!((frank.0.as_str(), frank.3.as_str()), ("Frank F", "enabled"));
    assert_eq!(
        user_row(&t, "root").await.unwrap().2,
        "admin",
        "the last admin stays"
    );
    let phones: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT p.phone_type, p.e164, p.set_by_org FROM phone_numbers p \
         JOIN users u ON u.id = p.user_id WHERE u.username = 'erin' ORDER BY p.phone_type",
    )
    .fetch_all(t.app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(
        phones,
        [
            ("mobile".to_owned(), "+31612345678".to_owned(), 1),
            ("office".to_owned(), "+31201234567".to_owned(), 1)
        ]
    );
    let default: Option<String> =
        sqlx::query_scalar("SELECT default_method FROM users WHERE username = 'erin'")
            .fetch_one(t.app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(default.as_deref(), Some("sms"), "texts to the mobile first");
    // Nobody knows an imported account's password: signing in fails until a reset.
    let erin_browser = new_client();
    let res = t.sign_in_as(&erin_browser, "erin", "").await;
    assert_ne!(res.status(), StatusCode::OK);

    let result = result_file(&t, &root, id).await;
    assert!(
        result.contains("2,erin,Erin E,erin@example.com,created,"),
        "{result}"
    );
    assert!(
        result.contains(
            "frank,Frank F,frank@example.com,updated,\"updated: name, MFA state disabled -> enabled"
        ),
        "{result}"
    );
    assert!(
        result.contains(",failed,The last active administrator keeps the admin role"),
        "{result}"
    );
    let audit: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action LIKE 'import.%' OR action = 'user.imported' ORDER BY id",
    )
    .fetch_all(t.app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(
        audit,
        [
            "import.started",
            "user.imported",
            "user.imported",
            "import.finished"
        ]
    );

    // The same file again: the valid rows are already as the file says.
    let again = upload_job(&t, &root, &file).await;
    let view = job(&t, &root, again).await;
    assert_eq!(
        (
            view["will_create"].as_i64(),
            view["will_update"].as_i64(),
            view["will_stay"].as_i64()
        ),
        (Some(0), Some(1), Some(2)),
        "only root's refused demotion is still a change: {view}"
    );
    assert_eq!(start(&t, &root, again).await.status(), StatusCode::OK);
    let done = wait_until_finished(&t, &root, again).await;
    assert_eq!(
        (
            done["created"].as_i64(),
            done["updated"].as_i64(),
            done["unchanged"].as_i64()
        ),
        (Some(0), Some(0), Some(2)),
        "{done}"
    );
    let audit_rows: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'user.imported'")
            .fetch_one(t.app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(audit_rows, 2, "the second run changed nobody");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_recently_verified_admin_runs_an_import_and_it_runs_once() {
    let t = spawn().await;
    let root = admin(&t).await;
    let id = upload_job(
        &t,
        &root,
        &format!("{HEADER}erin,Erin,erin@example.com,,,,\n"),
    )
    .await;
    // Helpdesk staff and people reach neither the upload nor the run.
    for role in [Role::Helpdesk, Role::User] {
        let name = format!("{}-person", role.as_str());
        t.create_user(&name, role).await;
        let client = new_client();
        t.sign_in_as(&client, &name, PASSWORD).await;
        let res = upload(&t, &client, "people.csv", b"username,display_name,email\n").await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(start(&t, &client, id).await.status(), StatusCode::FORBIDDEN);
        let res = t
            .get(&client, &format!("/admin/import/{id}/result.csv"))
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    let anonymous = upload(&t, &new_client(), "people.csv", b"x").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    t.clock.advance_secs(11 * 60);
    let res = start(&t, &root, id).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_of(res).await, "ReauthenticationRequired");
    assert_eq!(
        job(&t, &root, id).await["job"]["progress"]["status"],
        "checked"
    );

    let fresh = new_client();
    t.sign_in_as(&fresh, "root", PASSWORD).await;
    let answers = join_all((0..12).map(|_| start(&t, &fresh, id))).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|r| r.status()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        11,
        "{statuses:?}"
    );
    let done = wait_until_finished(&t, &fresh, id).await;
    assert_eq!(done["created"], 1);
    let missing = t
        .post_form(&fresh, "/api/admin_import", &[("job_id", "999999")])
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_rows_are_imported_completely_and_once() {
    let t = spawn().await;
    let root = admin(&t).await;
    let mut file = String::from(HEADER);
    for n in 0..10_000 {
        let mobile = if n % 2 == 0 {
            format!("+31 6 {:08}", 10_000_000 + n)
        } else {
            String::new()
        };
        file.push_str(&format!(
            "person{n},Person {n},person{n}@example.com,user,enabled,{mobile},\n"
        ));
    }
    let id = upload_job(&t, &root, &file).await;
    let view = job(&t, &root, id).await;
    assert_eq!(view["will_create"], 10_000, "{}", view["problems"]);
    assert_eq!(start(&t, &root, id).await.status(), StatusCode::OK);
    let done = wait_until_finished(&t, &root, id).await;
    assert_eq!(done["created"], 10_000, "{done}");
    assert_eq!(done["processed_rows"], 10_000);
    let (people, phones): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM users WHERE username LIKE 'person%'), \
                (SELECT COUNT(*) FROM phone_numbers WHERE set_by_org = 1)",
    )
    .fetch_one(t.app.state.db.pool())
    .await
    .unwrap();
    assert_eq!((people, phones), (10_000, 5_000));
    let result = result_file(&t, &root, id).await;
    assert_eq!(result.lines().count(), 10_001);
    assert_eq!(
        result.lines().filter(|l| l.contains(",created,")).count(),
        10_000
    );
    let enabled: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE mfa_state = $1")
        .bind(MfaState::Enabled.as_str())
        .fetch_one(t.app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(enabled, 10_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_shows_a_running_import_where_it_stands_and_a_stopped_worker_is_replaced() {
    use app::services::bulk_import::{BatchDone, run_batch};
    let t = spawn().await;
    let root = admin(&t).await;
    let mut file = String::from(HEADER);
    for n in 0..600 {
        file.push_str(&format!("person{n},P {n},person{n}@example.com,,,,\n"));
    }
    let id = upload_job(&t, &root, &file).await;
    // This test is the worker that holds the job (the portal's own worker waits for
    // the lease to run out; the test clock does not move by itself).
    sqlx::query("UPDATE import_jobs SET lease_owner = 'test', lease_until = $2 WHERE id = $1")
        .bind(id)
        .bind(t.clock_now() + 60)
        .execute(t.app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(start(&t, &root, id).await.status(), StatusCode::OK);
    let html = job_page(&t, &root, id).await;
    assert!(html.contains("data-testid=\"import-progress\""), "{html}");
    assert!(html.contains("0 of 600 rows (0%)"), "{html}");
    assert_eq!(
        run_batch(&t.app.state, id, "test").await.unwrap(),
        BatchDone::More
    );
    let html = job_page(&t, &root, id).await;
    assert!(
        html.contains("250 of 600 rows (41%): 250 created"),
        "{html}"
    );
    // The test's "worker" stops here; after its lease the portal's worker goes on.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        job(&t, &root, id).await["job"]["progress"]["processed_rows"],
        250,
        "nobody else takes a leased job"
    );
    t.clock.advance_secs(61);
    let done = wait_until_finished(&t, &root, id).await;
    assert_eq!(
        (done["created"].as_i64(), done["processed_rows"].as_i64()),
        (Some(600), Some(600))
    );
    assert_eq!(
        run_batch(&t.app.state, id, "test").await.unwrap(),
        BatchDone::NotOurs
    );
    let imported: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'user.imported'")
            .fetch_one(t.app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(imported, 600, "each row once");
    assert!(
        job_page(&t, &root, id)
            .await
            .contains("data-testid=\"result-created\">600<")
    );
}
