//! The three ways to approve a prompt (seed 001), by the policy `push_approval`:
//! plain approval with a code, picking one of three numbers (the default, covered
//! in `push_protocol.rs`), and typing the number where the app can.

use crate::helpers::{TestApp, spawn};
use crate::push_app::{Answer, accepted};
use crate::push_helpers::*;
use crate::totp_helpers::password_step;
use app::domain::Role;

async fn set_approval(t: &TestApp, mode: &str) {
    app::services::portal_settings::set(
        &t.app.state.db,
        "push_approval",
        mode,
        t.clock_now(),
        &crate::helpers::TEST_ACTOR,
        None,
    )
    .await
    .unwrap()
    .unwrap();
}

#[tokio::test]
async fn plain_approval_shows_a_code_in_the_prompt_and_needs_no_number() {
    let t = spawn().await;
    let (_, phone) = user_with_device(&t, "pat").await;
    set_approval(&t, "approve").await;
    let browser = at_second_step(&t, "pat").await;
    let prompt = prompt(&t, &browser).await;
    assert_eq!(prompt["approval"], "approve");
    let code = prompt["shown_code"].as_str().unwrap();
    let prompts = phone.poll(&t).await;
    assert!(prompts[0].choices.is_none(), "no numbers to pick");
    assert!(prompts[0].question.contains(&format!("Code: {code}")));
    assert!(accepted(
        &phone.answer(&t, &prompts[0], Answer::Approve).await
    ));
    assert_eq!(status_word(&t, &browser, &prompt).await, "Approved");
}

#[tokio::test]
async fn typing_is_asked_of_an_app_that_can_type_and_others_pick_from_three() {
    let t = spawn().await;
    let (_, store_app) = user_with_device(&t, "pat").await;
    let user = t.create_user("kim", Role::User).await;
    let kims_browser = crate::helpers::new_client();
    password_step(&t, &kims_browser, "kim").await;
    let (web_app, _) = add_device_with(&t, &kims_browser, "This browser", 2048, |app| {
        app.types_numbers = true;
    })
    .await;
    t.mfa_on(user).await;
    set_approval(&t, "type").await;

    // An app from the store cannot type: it picks from three, signed as usual.
    let browser = at_second_step(&t, "pat").await;
    let sent = prompt(&t, &browser).await;
    assert_eq!(sent["approval"], "type");
    let shown = sent["shown_code"].as_str().unwrap().to_owned();
    let prompts = store_app.poll(&t).await;
    assert_eq!(prompts[0].answer_mode, None);
    assert!(prompts[0].choices.as_ref().unwrap().contains(&shown));
    assert!(accepted(
        &store_app.answer(&t, &prompts[0], Answer::Pick(shown)).await
    ));
    assert_eq!(status_word(&t, &browser, &sent).await, "Approved");

    // The web authenticator is asked to let the person type it; a wrong number refuses.
    let browser = at_second_step(&t, "kim").await;
    let sent = prompt(&t, &browser).await;
    let prompts = web_app.poll(&t).await;
    assert_eq!(prompts[0].answer_mode.as_deref(), Some("type"));
    let shown = sent["shown_code"].as_str().unwrap();
    let wrong = if shown == "10" { "11" } else { "10" };
    web_app
        .answer(&t, &prompts[0], Answer::Pick(wrong.to_owned()))
        .await;
    assert_eq!(status_word(&t, &browser, &sent).await, "Denied");
    assert!(result_codes(&t, user).await.contains(&137));
}
