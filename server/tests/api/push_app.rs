//! An authenticator app speaking the privacyIDEA PUSH protocol (version 1, poll
//! only), written from the protocol's description and the real app's behaviour,
//! not from the portal's code: it reads the QR code, enrols with its own RSA key,
//! polls with signed timestamps, checks the portal's signature on every challenge
//! and answers with its own.
//!
//! The one liberty: the QR code names the portal's public URL, and the test portal
//! listens on a random port, so requests go to that URL's path on the test portal.
//! The benchmarks include this file too (`server/benches/push.rs`).

use data_encoding::{BASE32, BASE64};
use reqwest::{Client, StatusCode};
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::EncodePublicKey;
use rsa::sha2::Sha256;
use rsa::{PrivateKey, PublicKey};
use std::collections::HashMap;

/// The portal the app talks to: where a path of the QR's URL is served, and the
/// portal's clock (the app's own clock agrees with it).
pub trait Portal {
    fn url(&self, path: &str) -> String;
    fn clock_now(&self) -> i64;
}

/// What the QR code told the app.
#[derive(Clone, Debug)]
pub struct Scanned {
    pub label: String,
    pub url: String,
    pub serial: String,
    pub credential: String,
    pub ssl_verify: String,
    pub params: HashMap<String, String>,
}

pub fn scan(uri: &str) -> Scanned {
    let parsed = url::Url::parse(uri).expect("the QR code is a URI");
    assert_eq!(parsed.scheme(), "otpauth");
    assert_eq!(parsed.host_str(), Some("pipush"));
    let params: HashMap<String, String> = parsed.query_pairs().into_owned().collect();
    let get = |key: &str| params.get(key).cloned().unwrap_or_default();
    Scanned {
        label: parsed.path().trim_start_matches('/').to_owned(),
        url: get("url"),
        serial: get("serial"),
        credential: get("enrollment_credential"),
        ssl_verify: get("sslverify"),
        params,
    }
}

/// One open challenge as the app received it.
#[derive(Clone, Debug)]
pub struct Challenge {
    pub nonce: String,
    pub question: String,
    pub title: String,
    pub url: String,
    pub choices: Option<Vec<String>>,
    /// `Some("type")`: the portal asks this app to let the person type the number.
    pub answer_mode: Option<String>,
}

/// How the person answers on the phone.
#[derive(Clone, Debug)]
pub enum Answer {
    Approve,
    Pick(String),
    Deny,
    /// "Deny and report fraud": declined as not triggered by the person.
    ReportFraud,
}

pub struct PushApp {
    key: PrivateKey,
    pub token: Scanned,
    server_key: Option<PublicKey>,
    /// The web authenticator's extra: a seed for offline codes at enrolment.
    pub wants_offline_codes: bool,
    /// The web authenticator's other extra: it can take a typed number.
    pub types_numbers: bool,
    pub offline_secret: Option<Vec<u8>>,
    http: Client,
}

impl PushApp {
    /// A phone that scanned `uri` and made its key pair (the apps use 4096 bits;
    /// most tests use 2048 to keep key generation short).
    pub fn scanned(uri: &str, bits: usize) -> Self {
        PushApp {
            key: PrivateKey::new(&mut getrandom::SysRng, bits).expect("a device key"),
            token: scan(uri),
            server_key: None,
            wants_offline_codes: false,
            types_numbers: false,
            offline_secret: None,
            http: Client::new(),
        }
    }

    fn endpoint(&self, t: &impl Portal) -> String {
        let path = url::Url::parse(&self.token.url)
            .expect("the enrolment URL")
            .path()
            .to_owned();
        t.url(&path)
    }

    pub fn sign(&self, text: &str) -> String {
        let signature = self
            .key
            .pkcs1v15_sign::<Sha256>(text.as_bytes())
            .expect("signing");
        BASE32.encode(&signature)
    }

    /// The public key as the app sends it: SubjectPublicKeyInfo DER, URL-safe base64.
    pub fn public_key(&self) -> String {
        let der = self.key.to_public_key().to_public_key_der().unwrap();
        data_encoding::BASE64URL.encode(der.as_bytes())
    }

    /// Enrolment step 2 with the credential from the QR code.
    pub async fn enrol(&mut self, t: &impl Portal) -> reqwest::Response {
        let credential = self.token.credential.clone();
        self.enrol_with(t, &credential).await
    }

    /// Enrols and returns only the status (for bursts, where the key is not kept).
    pub async fn enrol_static(&mut self, t: &impl Portal) -> StatusCode {
        self.enrol(t).await.status()
    }

    pub async fn enrol_with(&mut self, t: &impl Portal, credential: &str) -> reqwest::Response {
        let mut form = vec![
            ("enrollment_credential", credential.to_owned()),
            ("serial", self.token.serial.clone()),
            ("fbtoken", "no_firebase_token".to_owned()),
            ("pubkey", self.public_key()),
        ];
        if self.wants_offline_codes {
            form.push(("offline_codes", "1".to_owned()));
        }
        if self.types_numbers {
            form.push(("number_entry", "1".to_owned()));
        }
        self.http
            .post(self.endpoint(t))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Reads the portal's key from a successful enrolment answer.
    pub async fn keep_server_key(&mut self, res: reqwest::Response) {
        assert_eq!(res.status(), StatusCode::OK);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["result"]["status"], true);
        assert_eq!(body["result"]["value"], true);
        assert_eq!(body["detail"]["rollout_state"], "enrolled");
        let encoded = body["detail"]["public_key"].as_str().unwrap();
        assert!(!encoded.contains("BEGIN"), "no PEM header lines");
        let der = BASE64.decode(encoded.as_bytes()).expect("standard base64");
        self.server_key = Some(PublicKey::from_pkcs1_der(&der).expect("PKCS#1 DER"));
        self.offline_secret = body["detail"]["offline_secret"].as_str().map(|s| {
            data_encoding::BASE32_NOPAD
                .decode(s.as_bytes())
                .expect("base32")
        });
    }

    /// A poll signed for `timestamp`, as the app sends it.
    pub async fn poll_at(&self, t: &impl Portal, timestamp: &str) -> reqwest::Response {
        let signature = self.sign(&format!("{}|{timestamp}", self.token.serial));
        self.poll_signed(t, timestamp, &signature).await
    }

    pub async fn poll_signed(
        &self,
        t: &impl Portal,
        timestamp: &str,
        signature: &str,
    ) -> reqwest::Response {
        self.http
            .get(self.endpoint(t))
            .query(&[
                ("serial", self.token.serial.as_str()),
                ("timestamp", timestamp),
                ("signature", signature),
            ])
            .send()
            .await
            .unwrap()
    }

    /// Polls now (the portal's clock), checks the portal's signature on every
    /// challenge as the app does, and returns them.
    pub async fn poll(&self, t: &impl Portal) -> Vec<Challenge> {
        let res = self.poll_at(t, &iso_utc(t.clock_now())).await;
        assert_eq!(res.status(), StatusCode::OK);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["result"]["status"], true);
        body["result"]["value"]
            .as_array()
            .expect("a list of challenges")
            .iter()
            .map(|c| self.checked(c))
            .collect()
    }

    fn checked(&self, c: &serde_json::Value) -> Challenge {
        let field = |name: &str| -> String {
            c[name]
                .as_str()
                .unwrap_or_else(|| panic!("{name} is a string: {c}"))
                .to_owned()
        };
        assert_eq!(field("serial"), self.token.serial);
        let sslverify = field("sslverify");
        assert!(sslverify == "0" || sslverify == "1");
        let mut text = format!(
            "{}|{}|{}|{}|{}|{}",
            field("nonce"),
            field("url"),
            field("serial"),
            field("question"),
            field("title"),
            sslverify
        );
        let choices = c.get("require_presence").map(|_| {
            assert_eq!(field("version"), "2", "number matching is version 2");
            field("require_presence")
        });
        if let Some(choices) = &choices {
            text.push('|');
            text.push_str(choices);
        }
        let signature = BASE32
            .decode(field("signature").as_bytes())
            .expect("base32");
        self.server_key
            .as_ref()
            .expect("enrolled")
            .pkcs1v15_verify::<Sha256>(text.as_bytes(), &signature)
            .expect("the portal signed the challenge");
        Challenge {
            nonce: field("nonce"),
            question: field("question"),
            title: field("title"),
            url: field("url"),
            choices: choices.map(|c| c.split(',').map(str::to_owned).collect()),
            answer_mode: c.get("answer_mode").map(|_| field("answer_mode")),
        }
    }

    /// Answers `challenge`; the portal's JSON.
    pub async fn answer(
        &self,
        t: &impl Portal,
        challenge: &Challenge,
        answer: Answer,
    ) -> serde_json::Value {
        let serial = self.token.serial.clone();
        let mut text = format!("{}|{serial}", challenge.nonce);
        let mut form = vec![("serial", serial), ("nonce", challenge.nonce.clone())];
        match &answer {
            Answer::Approve => {}
            Answer::Pick(number) => {
                text.push_str(&format!("|{number}"));
                form.push(("presence_answer", number.clone()));
            }
            Answer::Deny => {
                text.push_str("|decline");
                form.push(("decline", "1".to_owned()));
            }
            Answer::ReportFraud => {
                text.push_str("|decline|unknown_trigger");
                form.push(("decline", "1".to_owned()));
                form.push(("decline_reason", "unknown_trigger".to_owned()));
            }
        }
        form.push(("signature", self.sign(&text)));
        self.post_answer(t, &form).await
    }

    pub async fn post_answer(&self, t: &impl Portal, form: &[(&str, String)]) -> serde_json::Value {
        let res = self
            .http
            .post(self.endpoint(t))
            .form(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "answers are always HTTP 200");
        res.json().await.unwrap()
    }
}

/// ISO 8601 in UTC with microseconds and `Z`, as the app formats it.
pub fn iso_utc(unix: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp(unix).unwrap();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.microsecond()
    )
}

pub fn accepted(answer: &serde_json::Value) -> bool {
    answer["result"]["status"] == true && answer["result"]["value"] == true
}
