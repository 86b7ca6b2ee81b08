//! A Twilio-style REST gateway: `POST {base}/2010-04-01/Accounts/{sid}/Messages.json`
//! for texts and `…/Calls.json` with inline TwiML for calls, HTTP basic auth with the
//! account SID and token. The gateway's webhooks are signed with
//! `X-Twilio-Signature`: base64 HMAC-SHA1 over the URL and the sorted form fields,
//! keyed with the token ([`signature`], checked by the server's voice webhook).

use super::phone::{
    Call, CallScript, MATCH_PROMPT, PRESS_PROMPT, PhoneError, Sms, SmsSender, VoiceCaller,
    code_speech,
};
use data_encoding::BASE64;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha1::Sha1;
use std::time::Duration;

pub struct GatewaySettings {
    /// `https://api.twilio.com`, or a local fake in tests.
    pub base_url: String,
    pub account_sid: String,
    pub auth_token: SecretString,
    /// E.164 number texts and calls come from.
    pub from_number: String,
    /// The portal's public URL, for the webhooks the gateway calls back.
    pub public_url: String,
    pub timeout: Duration,
}

pub struct TwilioGateway {
    client: reqwest::Client,
    settings: GatewaySettings,
}

impl TwilioGateway {
    pub fn new(settings: GatewaySettings) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .build()?;
        Ok(Self { client, settings })
    }

    fn endpoint(&self, resource: &str) -> String {
        format!(
            "{}/2010-04-01/Accounts/{}/{resource}.json",
            self.settings.base_url.trim_end_matches('/'),
            self.settings.account_sid
        )
    }

    async fn post(&self, resource: &str, form: &[(&str, &str)]) -> Result<String, PhoneError> {
        let response = self
            .client
            .post(self.endpoint(resource))
            .basic_auth(
                &self.settings.account_sid,
                Some(self.settings.auth_token.expose_secret()),
            )
            .form(form)
            .send()
            .await
            .map_err(|e| PhoneError::Transient(format!("gateway unreachable: {e}")))?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        if status.is_success() {
            let sid = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("sid").and_then(|s| s.as_str()).map(str::to_owned))
                .unwrap_or_default();
            return Ok(sid);
        }
        // Only the gateway's numeric error code: its message could quote what was
        // sent, and a text holds a code that must never reach a log.
        let code = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("code").and_then(serde_json::Value::as_i64));
        let message = match code {
            Some(code) => format!("gateway answered {status}, error code {code}"),
            None => format!("gateway answered {status}"),
        };
        if status.is_server_error() || status.as_u16() == 429 {
            Err(PhoneError::Transient(message))
        } else {
            Err(PhoneError::Permanent(message))
        }
    }

    /// Where the gateway posts a call's key presses and its final status.
    pub fn webhook_url(public_url: &str, token: &str, event: &str) -> String {
        format!(
            "{}/webhooks/voice/{token}/{event}",
            public_url.trim_end_matches('/')
        )
    }
}

#[async_trait::async_trait]
impl SmsSender for TwilioGateway {
    async fn send_sms(&self, sms: Sms<'_>) -> Result<String, PhoneError> {
        let form = [
            ("To", sms.to),
            ("From", self.settings.from_number.as_str()),
            ("Body", sms.body),
        ];
        self.post("Messages", &form).await
    }
}

#[async_trait::async_trait]
impl VoiceCaller for TwilioGateway {
    async fn place_call(&self, call: Call<'_>) -> Result<String, PhoneError> {
        let public = &self.settings.public_url;
        let (twiml, status_url) = match call.script {
            CallScript::Match { token } => (
                keys_twiml(&Self::webhook_url(public, token, "gather"), MATCH_PROMPT),
                Some(Self::webhook_url(public, token, "status")),
            ),
            CallScript::Press { token } => (
                keys_twiml(&Self::webhook_url(public, token, "gather"), PRESS_PROMPT),
                Some(Self::webhook_url(public, token, "status")),
            ),
            CallScript::Code { code } => (say_twiml(&code_speech(code)), None),
        };
        let mut form = vec![
            ("To", call.to),
            ("From", self.settings.from_number.as_str()),
            ("Twiml", twiml.as_str()),
        ];
        if let Some(url) = status_url.as_deref() {
            form.push(("StatusCallback", url));
        }
        self.post("Calls", &form).await
    }
}

/// The call says `prompt` and posts the keys typed before `#` to `action`. As
/// Twilio documents `<Gather>`, nothing is posted when the caller types nothing
/// (or only `#`) before the timeout: the call then says goodbye and ends, and the
/// status callback reports it finished without an answer.
pub fn keys_twiml(action: &str, prompt: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\
         <Gather input=\"dtmf\" finishOnKey=\"#\" timeout=\"10\" action=\"{}\" method=\"POST\">\
         <Say>{}</Say></Gather>\
         <Say>We did not get an answer. Goodbye.</Say></Response>",
        xml_escape(action),
        xml_escape(prompt)
    )
}

/// A call that only speaks `text`.
pub fn say_twiml(text: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>{}</Say></Response>",
        xml_escape(text)
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The `X-Twilio-Signature` of a webhook request to `url` with form `params`.
pub fn signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(auth_token.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(url.as_bytes());
    for (key, value) in sorted {
        mac.update(key.as_bytes());
        mac.update(value.as_bytes());
    }
    BASE64.encode(&mac.finalize().into_bytes())
}

/// Whether `given` is the right signature, compared in constant time.
pub fn signature_matches(
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    given: &str,
) -> bool {
    use subtle::ConstantTimeEq;
    let expected = signature(auth_token, url, params);
    expected.as_bytes().ct_eq(given.trim().as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha1_over_the_url_and_sorted_fields() {
        // Expected value computed independently with Python's hmac and base64 modules.
        let params: Vec<(String, String)> = [
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let url = "https://example.com/myapp.php?foo=1&bar=2";
        let token = "12345";
        assert_eq!(
            signature(token, url, &params),
            "vNe7KK2kJwCsxc9K3OLkkKB3qqI="
        );
        assert!(signature_matches(
            token,
            url,
            &params,
            "vNe7KK2kJwCsxc9K3OLkkKB3qqI="
        ));
        assert!(!signature_matches(
            "other",
            url,
            &params,
            "vNe7KK2kJwCsxc9K3OLkkKB3qqI="
        ));
    }

    #[test]
    fn twiml_escapes_what_it_embeds() {
        let xml = keys_twiml(
            "https://portal.example/webhooks/voice/a&b/gather",
            PRESS_PROMPT,
        );
        assert!(xml.contains("a&amp;b"));
        assert!(xml.contains("finishOnKey=\"#\""));
        assert!(say_twiml("1 < 2").contains("1 &lt; 2"));
    }
}
