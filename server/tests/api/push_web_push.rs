//! Web Push to the web authenticator: a device subscribes with a signed request, a
//! sign-in prompt is pushed to its browser through the push service (encrypted for
//! the browser, signed with the portal's VAPID key), and a subscription the push
//! service says is gone is forgotten while the device keeps polling.

use crate::helpers::{TestApp, new_client, spawn, spawn_with};
use crate::push_app::{PushApp, iso_utc};
use crate::push_helpers::{at_second_step, prompt, user_with_device};
use crate::push_service::{self, GONE_PREFIX, PushService};
use app::store::{UserId, web_push};
use data_encoding::BASE64URL_NOPAD;
use p256::SecretKey;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use reqwest::StatusCode;
use std::sync::Arc;
use std::time::Duration;

const SUBJECT: &str = "mailto:security@example.com";

/// The portal's VAPID key, in a PEM file as `openssl ecparam` writes it.
struct Vapid {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    public: String,
}

fn random_key() -> SecretKey {
    loop {
        let mut bytes = [0_u8; 32];
        getrandom::fill(&mut bytes).unwrap();
        if let Ok(key) = SecretKey::from_slice(&bytes) {
            return key;
        }
    }
}

fn public_of(key: &SecretKey) -> String {
    BASE64URL_NOPAD.encode(key.public_key().to_encoded_point(false).as_bytes())
}

fn vapid_key() -> Vapid {
    let key = random_key();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vapid.pem");
    let pem = key.to_sec1_pem(p256::pkcs8::LineEnding::LF).unwrap();
    std::fs::write(&path, pem.as_bytes()).unwrap();
    Vapid {
        _dir: dir,
        path,
        public: public_of(&key),
    }
}

/// The portal with Web Push to the stand-in push service.
async fn portal_with_push_service() -> (TestApp, Arc<PushService>, Vapid) {
    let service = push_service::start(0).await;
    let vapid = vapid_key();
    let (path, origin) = (vapid.path.clone(), service.origin.clone());
    let t = spawn_with(move |c| {
        c.vapid_private_key_file = Some(path);
        c.vapid_subject = Some(SUBJECT.to_owned());
        c.web_push_services = vec![origin];
    })
    .await;
    *service.now.lock().unwrap() = t.clock_now();
    (t, service, vapid)
}

/// What the browser's `PushManager.subscribe` gives: an endpoint and its keys.
struct Browser {
    key: SecretKey,
    auth: [u8; 16],
    endpoint: String,
}

impl Browser {
    fn subscribed_at(endpoint: String) -> Self {
        let mut auth = [0_u8; 16];
        getrandom::fill(&mut auth).unwrap();
        Browser {
            key: random_key(),
            auth,
            endpoint,
        }
    }

    fn fields(&self) -> [(&'static str, String); 3] {
        [
            ("endpoint", self.endpoint.clone()),
            ("p256dh", public_of(&self.key)),
            ("auth", BASE64URL_NOPAD.encode(&self.auth)),
        ]
    }

    /// Reads a message as the browser does.
    fn read(&self, body: &[u8]) -> serde_json::Value {
        let auth = web_push_native::Auth::clone_from_slice(&self.auth);
        let plain = web_push_native::decrypt(body.to_vec(), &self.key, &auth).unwrap();
        serde_json::from_slice(&plain).unwrap()
    }
}

/// The web authenticator's subscription request, signed by `phone` at `at`.
async fn subscribe_at(
    t: &TestApp,
    phone: &PushApp,
    fields: &[(&'static str, String)],
    at: i64,
) -> (StatusCode, serde_json::Value) {
    let timestamp = iso_utc(at);
    let value = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let text = format!(
        "{}|{timestamp}|{}|{}|{}",
        phone.token.serial,
        value("endpoint"),
        value("p256dh"),
        value("auth")
    );
    let mut form = vec![
        ("serial", phone.token.serial.clone()),
        ("timestamp", timestamp),
        ("signature", phone.sign(&text)),
    ];
    form.extend(fields.iter().cloned());
    let res = new_client()
        .post(t.url("/device/push/web-push"))
        .form(&form)
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap())
}

async fn subscribe(
    t: &TestApp,
    phone: &PushApp,
    browser: &Browser,
) -> (StatusCode, serde_json::Value) {
    subscribe_at(t, phone, &browser.fields(), t.clock_now()).await
}

async fn subscriptions(t: &TestApp, user: UserId) -> Vec<String> {
    web_push::active_for(&t.app.state.db, user)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, s)| s.endpoint)
        .collect()
}

#[tokio::test]
async fn a_sign_in_prompt_is_pushed_to_the_subscribed_browser_encrypted_and_signed() {
    let (t, service, vapid) = portal_with_push_service().await;
    let res = new_client()
        .get(t.url("/device/push/web-push"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let key: serde_json::Value = res.json().await.unwrap();
    assert_eq!(key["result"]["value"]["public_key"], vapid.public.as_str());

    let (user, phone) = user_with_device(&t, "wp-ann").await;
    let browser = Browser::subscribed_at(format!("{}/push/ann-1", service.origin));
    let (status, body) = subscribe(&t, &phone, &browser).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        subscriptions(&t, user).await,
        vec![browser.endpoint.clone()]
    );

    let at_second_step = at_second_step(&t, "wp-ann").await;
    prompt(&t, &at_second_step).await;
    assert_eq!(service.answered(1).await, vec![201]);
    let message = service.received.lock().unwrap()[0].clone();
    assert_eq!(message.path, "/push/ann-1");
    assert_eq!(message.ttl, "60", "kept no longer than the prompt is open");
    assert_eq!(message.urgency, "high");
    assert_eq!(message.sender_key, vapid.public);
    assert_eq!(message.claims["sub"], SUBJECT);

    let shown = browser.read(&message.body);
    assert_eq!(shown["title"], "MFA Portal");
    let polled = phone.poll(&t).await;
    assert_eq!(
        polled.len(),
        1,
        "the app still fetches the prompt by polling"
    );
    assert_eq!(shown["body"], polled[0].question.as_str());
    assert!(polled[0].question.starts_with("Sign in to MFA Portal from"));
}

#[tokio::test]
async fn subscriptions_are_refused_unless_signed_fresh_and_for_a_listed_push_service() {
    let (t, service, _vapid) = portal_with_push_service().await;
    let (user, phone) = user_with_device(&t, "wp-bob").await;
    let now = t.clock_now();

    let elsewhere = Browser::subscribed_at("https://push.attacker.example/x".to_owned());
    let (status, body) = subscribe(&t, &phone, &elsewhere).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["result"]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("push service")
    );

    let listed = Browser::subscribed_at(format!("{}/push/bob", service.origin));
    let (status, _) = subscribe_at(&t, &phone, &listed.fields(), now - 120).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a stale timestamp");

    let mut bad_keys = listed.fields();
    bad_keys[1].1 = "AAAA".to_owned();
    let (status, _) = subscribe_at(&t, &phone, &bad_keys, now).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "p256dh is not a P-256 point"
    );

    let stranger = PushApp::scanned(
        &format!(
            "otpauth://pipush/x?url={}&serial={}&enrollment_credential=00",
            t.url("/device/push"),
            phone.token.serial
        ),
        2048,
    );
    let (status, _) = subscribe(&t, &stranger, &listed).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "signed by another key");
    assert!(subscriptions(&t, user).await.is_empty());

    let (status, _) = subscribe(&t, &phone, &listed).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(subscriptions(&t, user).await.len(), 1);
    let stop = [
        ("endpoint", String::new()),
        ("p256dh", String::new()),
        ("auth", String::new()),
    ];
    let (status, _) = subscribe_at(&t, &phone, &stop, now).await;
    assert_eq!(status, StatusCode::OK, "an empty endpoint stops pushes");
    assert!(subscriptions(&t, user).await.is_empty());
}

#[tokio::test]
async fn a_subscription_the_push_service_says_is_gone_is_forgotten_and_the_device_still_polls() {
    let (t, service, _vapid) = portal_with_push_service().await;
    let (user, phone) = user_with_device(&t, "wp-cy").await;
    let browser = Browser::subscribed_at(format!("{}{GONE_PREFIX}cy", service.origin));
    assert_eq!(subscribe(&t, &phone, &browser).await.0, StatusCode::OK);

    let at_second_step = at_second_step(&t, "wp-cy").await;
    prompt(&t, &at_second_step).await;
    assert_eq!(service.answered(1).await, vec![410]);
    let mut forgotten = false;
    for _ in 0..200 {
        if subscriptions(&t, user).await.is_empty() {
            forgotten = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(forgotten, "the gone subscription is dropped");
    assert_eq!(phone.poll(&t).await.len(), 1);
}

#[tokio::test]
async fn without_a_vapid_key_there_is_no_web_push() {
    let t = spawn().await;
    let (user, phone) = user_with_device(&t, "wp-dee").await;
    let res = new_client()
        .get(t.url("/device/push/web-push"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let browser = Browser::subscribed_at("https://fcm.googleapis.com/fcm/send/dee".to_owned());
    assert_eq!(
        subscribe(&t, &phone, &browser).await.0,
        StatusCode::NOT_FOUND
    );
    assert!(subscriptions(&t, user).await.is_empty());
}
