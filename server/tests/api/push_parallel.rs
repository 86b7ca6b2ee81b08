//! Push limits under bursts of parallel requests (run on SQLite and PostgreSQL):
//! the 15-minute prompt cap, the single-use enrolment credential, and one decision
//! per prompt.

use crate::helpers::spawn;
use crate::push_app::{Answer, PushApp, accepted};
use crate::push_helpers::*;
use crate::totp_helpers::{error_of, password_step};
use app::domain::Role;
use futures_util::future::join_all;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_parallel_prompts_send_at_most_the_policys_five() {
    let t = spawn().await;
    let (_, phone) = user_with_device(&t, "pat").await;
    let browser = at_second_step(&t, "pat").await;
    let burst = (0..30).map(|_| send_prompt(&t, &browser));
    let answers = join_all(burst).await;
    let sent = answers
        .iter()
        .filter(|r| r.status() == StatusCode::OK)
        .count();
    assert_eq!(sent, 5, "{sent} prompts past a cap of 5");
    assert_eq!(phone.poll(&t).await.len(), 5);
    let res = send_prompt(&t, &browser).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(error_of(res).await, "PushLimit");
    // The next 15-minute window allows prompts again (to a new sign-in: this one
    // has timed out by then).
    t.clock.advance_secs(15 * 60);
    let later = at_second_step(&t, "pat").await;
    assert_eq!(send_prompt(&t, &later).await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twelve_parallel_enrolments_with_one_credential_enrol_one_key() {
    let t = spawn().await;
    t.create_user("pat", Role::User).await;
    password_step(&t, &t.client, "pat").await;
    let (_, uri) = begin_device(&t, &t.client, "Pixel").await;
    let mut phones: Vec<PushApp> = (0..12).map(|_| PushApp::scanned(&uri, 2048)).collect();
    let burst = phones.iter_mut().map(|phone| phone.enrol_static(&t));
    let answers = join_all(burst).await;
    let enrolled = answers.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(enrolled, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_parallel_answers_to_one_prompt_decide_it_once() {
    let t = spawn().await;
    let (user, phone) = user_with_device(&t, "pat").await;
    let browser = at_second_step(&t, "pat").await;
    let prompt = prompt(&t, &browser).await;
    let shown = prompt["shown_code"].as_str().unwrap().to_owned();
    let prompts = phone.poll(&t).await;
    let burst = (0..20).map(|i| {
        let answer = if i % 2 == 0 {
            Answer::Pick(shown.clone())
        } else {
            Answer::Deny
        };
        phone.answer(&t, &prompts[0], answer)
    });
    let answers = join_all(burst).await;
    assert_eq!(answers.iter().filter(|a| accepted(a)).count(), 1);
    let decided: Vec<i64> = result_codes(&t, user)
        .await
        .into_iter()
        .filter(|c| [21, 129].contains(c))
        .collect();
    assert_eq!(decided.len(), 1, "one sign-in event for one decision");
}
