//! Every voice mode through the Twilio stand-in (`twilio_calls`): the right keys
//! approve; a wrong number, a bare #, silence, an answering machine, a hang-up or
//! no answer never do.

use crate::helpers::{TestApp, new_client};
use crate::phone_gateway::{Gateway, field, requests_seen, spawn_with_gateway_mode, start_gateway};
use crate::phone_helpers::{second_step_view, start_second_step, user_with_phone_via_gateway};
use crate::totp_helpers::password_step;
use crate::twilio_calls::{Person, play};
use app::domain::{ResultCode, VoiceMode};
use app::store::UserId;
use app::store::testing::sign_in_events;
use reqwest::Client;
use serde_json::Value;
use std::sync::Arc;

struct Setup {
    t: TestApp,
    gateway: Arc<Gateway>,
    bob: UserId,
}

async fn setup(mode: VoiceMode) -> Setup {
    let (base, gateway) = start_gateway(&[]).await;
    let t = spawn_with_gateway_mode(&base, mode).await;
    let bob = user_with_phone_via_gateway(&t, &gateway).await;
    Setup { t, gateway, bob }
}

/// A new sign-in by bob that asks for a call: the browser, the challenge the page
/// shows, and the gateway's `Calls.json` form.
async fn call(s: &Setup) -> (Client, Value, Vec<(String, String)>) {
    let browser = new_client();
    password_step(&s.t, &browser, "bob").await;
    let method_id = second_step_view(&s.t, &browser).await["phones"][0]["method_id"]
        .as_i64()
        .unwrap();
    let before = s.gateway.seen.lock().unwrap().len();
    let res = start_second_step(&s.t, &browser, method_id, "voice").await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let challenge: Value = res.json().await.unwrap();
    let seen = requests_seen(&s.gateway, before + 1).await;
    let (path, _, form) = seen[before].clone();
    assert!(path.ends_with("/Calls.json"), "{path}");
    (browser, challenge, form)
}

async fn status(s: &Setup, browser: &Client, challenge: &Value) -> Value {
    let id = challenge["challenge_id"].as_i64().unwrap().to_string();
    s.t.post_form(
        browser,
        "/api/phone_status",
        &[("challenge_id", &id), ("purpose", "sign_in")],
    )
    .await
    .json()
    .await
    .unwrap()
}

async fn last_code(s: &Setup) -> i64 {
    sign_in_events::latest(&s.t.app.state.db, 50)
        .await
        .unwrap()
        .iter()
        .find(|e| e.user_id == Some(s.bob.0))
        .unwrap()
        .result_code
}

/// Plays one call with `person`; returns the page's status and the event's code.
async fn answer(s: &Setup, person: impl FnOnce(&str) -> Person) -> (Value, i64, bool) {
    let (browser, challenge, form) = call(s).await;
    let shown = challenge["match_number"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let public =
        s.t.config
            .public_url
            .as_str()
            .trim_end_matches('/')
            .to_owned();
    play(&form, &public, &s.t.app.url(), person(&shown)).await;
    let state = status(s, &browser, &challenge).await;
    let signed_in = s.t.whoami(&browser).await["username"] == "bob";
    (state, last_code(s).await, signed_in)
}

fn types(keys: &str) -> Person {
    Person::Types(keys.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn number_matching_approves_only_the_number_the_page_shows() {
    let s = setup(VoiceMode::Match).await;
    let (state, code, signed_in) = answer(&s, |shown| Person::Types(format!("{shown}#"))).await;
    assert_eq!((state, code, signed_in), ("Approved".into(), 1, true));
    // Typed without # and left to time out: the gateway still reports the digits.
    let (state, _, signed_in) = answer(&s, types).await;
    assert_eq!((state, signed_in), ("Approved".into(), true));

    let wrong = |shown: &str| {
        let other = if shown == "42" { "43" } else { "42" };
        Person::Types(format!("{other}#"))
    };
    let refusals = [
        (answer(&s, wrong).await, ResultCode::InvalidPhoneInput),
        (
            answer(&s, |_| types("#")).await,
            ResultCode::CallDisconnected,
        ),
        (
            answer(&s, |_| types("")).await,
            ResultCode::CallDisconnected,
        ),
        (
            answer(&s, |_| Person::AnsweringMachine).await,
            ResultCode::CallDisconnected,
        ),
        (
            answer(&s, |_| Person::HangsUp).await,
            ResultCode::CallDisconnected,
        ),
        (
            answer(&s, |_| Person::NoAnswer).await,
            ResultCode::CallTimedOut,
        ),
    ];
    for ((state, code, signed_in), expected) in refusals {
        assert_eq!(state, "Denied");
        assert_eq!(code, expected.code());
        assert!(!signed_in);
    }
    let (state, code, signed_in) = answer(&s, |_| types("0#")).await;
    assert_eq!(
        (state, code, signed_in),
        ("FraudReported".into(), 112, false)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn press_mode_approves_with_one_pound_and_never_with_a_bare_pound() {
    let s = setup(VoiceMode::Press).await;
    let (_, challenge, form) = call(&s).await;
    assert!(challenge["match_number"].is_null());
    assert!(field(&form, "Twiml").contains("Press one and then pound"));
    let (state, _, signed_in) = answer(&s, |_| types("#")).await;
    assert_eq!((state, signed_in), ("Denied".into(), false));
    let (state, _, signed_in) = answer(&s, |_| types("2#")).await;
    assert_eq!((state, signed_in), ("Denied".into(), false));
    let (state, code, signed_in) = answer(&s, |_| types("1#")).await;
    assert_eq!((state, code, signed_in), ("Approved".into(), 1, true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_mode_reads_a_code_out_that_signs_in_on_the_page() {
    let s = setup(VoiceMode::Code).await;
    let (browser, challenge, form) = call(&s).await;
    assert_eq!(challenge["press_to_approve"], false);
    let twiml = field(&form, "Twiml");
    assert!(
        !twiml.contains("<Gather"),
        "nothing to type on the phone: {twiml}"
    );
    let said = &twiml[twiml.find("<Say>").unwrap()..];
    let code = crate::phone_helpers::code_in(said);
    let id = challenge["challenge_id"].as_i64().unwrap().to_string();
    let res =
        s.t.post_form(
            &browser,
            "/api/verify_phone_sign_in",
            &[
                ("challenge_id", &id),
                ("code", &code),
                ("purpose", "sign_in"),
            ],
        )
        .await;
    assert!(res.status().is_success() || res.status().is_redirection());
    assert_eq!(s.t.whoami(&browser).await["username"], "bob");
}
