//! Plays a call the way Twilio documents TwiML's `<Gather>` (twilio.com/docs/voice/
//! twiml/gather): the keys typed up to `finishOnKey` (default `#`) are posted to the
//! `action` URL as `Digits`, without the finish key; `numDigits` ends the input once
//! reached; when the wait runs out the keys typed so far are posted. When nothing was
//! typed before the finish key or the timeout, the action URL is **not** requested
//! (unless `actionOnEmptyResult="true"`) and the document goes on after `<Gather>`.
//! At the end the `StatusCallback` URL hears the call's final `CallStatus`. Every
//! request is signed with `X-Twilio-Signature` over the URL the TwiML names.
//!
//! This is the test's own reading of the documentation, written apart from the
//! portal's code, so a TwiML the real gateway would not act on fails here too.

use crate::phone_gateway::TOKEN;

/// What the person at the phone does.
#[derive(Clone, Debug)]
pub enum Person {
    /// Answers and types these keys, then waits.
    Types(String),
    /// Answers and hangs up without typing.
    HangsUp,
    /// Lets it ring.
    NoAnswer,
    /// Voicemail answers: it listens and types nothing.
    AnsweringMachine,
}

/// The `<Gather>` of a TwiML document, as far as digits are concerned.
#[derive(Debug)]
struct Gather {
    action: String,
    finish_on_key: String,
    num_digits: Option<usize>,
    action_on_empty_result: bool,
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + tag[start..].find('"')?;
    Some(
        tag[start..end]
            .replace("&amp;", "&")
            .replace("&quot;", "\""),
    )
}

fn gather_of(twiml: &str) -> Option<Gather> {
    let start = twiml.find("<Gather")?;
    let tag = &twiml[start..start + twiml[start..].find('>')?];
    Some(Gather {
        action: attribute(tag, "action")?,
        finish_on_key: attribute(tag, "finishOnKey").unwrap_or_else(|| "#".to_owned()),
        num_digits: attribute(tag, "numDigits").and_then(|n| n.parse().ok()),
        action_on_empty_result: attribute(tag, "actionOnEmptyResult").as_deref() == Some("true"),
    })
}

/// The `Digits` Twilio would post for `typed`, or `None` when it posts nothing.
fn digits_posted(gather: &Gather, typed: &str) -> Option<String> {
    let mut digits = String::new();
    for key in typed.chars() {
        if !gather.finish_on_key.is_empty() && gather.finish_on_key.starts_with(key) {
            break;
        }
        digits.push(key);
        if gather.num_digits == Some(digits.len()) {
            break;
        }
    }
    (!digits.is_empty() || gather.action_on_empty_result).then_some(digits)
}

/// Posts a signed webhook the way the gateway does; `signed_url` is the public URL
/// the portal gave, `portal` where the test's portal really listens.
async fn post_signed(signed_url: &str, public: &str, portal: &str, params: Vec<(String, String)>) {
    let signature = app::providers::twilio::signature(TOKEN, signed_url, &params);
    let target = signed_url.replacen(public, portal, 1);
    let res = reqwest::Client::new()
        .post(target)
        .header("x-twilio-signature", signature)
        .form(&params)
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_success(),
        "webhook answered {}",
        res.status()
    );
}

/// Plays the call the portal asked for (`Twiml` and `StatusCallback` of its
/// `Calls.json` request) with `person` at the other end.
pub async fn play(form: &[(String, String)], public: &str, portal: &str, person: Person) {
    let field = |name: &str| crate::phone_gateway::field(form, name).to_owned();
    let twiml = field("Twiml");
    let status_url = field("StatusCallback");
    let call = |extra: &[(&str, &str)]| {
        let mut params: Vec<(String, String)> = [("CallSid", "CA0001"), ("From", "+3197010000000")]
            .iter()
            .chain(extra)
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        params.sort();
        params
    };
    let status = match person {
        Person::NoAnswer => "no-answer",
        Person::HangsUp | Person::AnsweringMachine => "completed",
        Person::Types(typed) => {
            let gather = gather_of(&twiml).expect("a call answered with keys has a <Gather>");
            if let Some(digits) = digits_posted(&gather, &typed) {
                post_signed(&gather.action, public, portal, call(&[("Digits", &digits)])).await;
            }
            "completed"
        }
    };
    if !status_url.is_empty() {
        post_signed(&status_url, public, portal, call(&[("CallStatus", status)])).await;
    }
}

#[test]
fn the_stand_in_follows_the_documented_gather_rules() {
    let gather = Gather {
        action: "https://x/a".to_owned(),
        finish_on_key: "#".to_owned(),
        num_digits: None,
        action_on_empty_result: false,
    };
    assert_eq!(digits_posted(&gather, "42#"), Some("42".to_owned()));
    assert_eq!(
        digits_posted(&gather, "42"),
        Some("42".to_owned()),
        "timeout"
    );
    assert_eq!(digits_posted(&gather, "#"), None, "only the finish key");
    assert_eq!(
        digits_posted(&gather, ""),
        None,
        "nothing before the timeout"
    );
    let two = Gather {
        num_digits: Some(2),
        ..gather
    };
    assert_eq!(digits_posted(&two, "123#"), Some("12".to_owned()));
    let parsed = gather_of(
        "<Response><Gather input=\"dtmf\" finishOnKey=\"#\" action=\"https://p/w?a=1&amp;b=2\"><Say>x</Say></Gather></Response>",
    )
    .unwrap();
    assert_eq!(parsed.action, "https://p/w?a=1&b=2");
    assert!(!parsed.action_on_empty_result);
}
