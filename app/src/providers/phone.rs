//! Texts and calls: one trait for each, so the delivery worker does not care which
//! provider is behind them (`dev_phone` for development, `twilio` for a gateway).

/// A text message to send.
pub struct Sms<'a> {
    /// E.164.
    pub to: &'a str,
    pub body: &'a str,
}

/// What a call says and asks.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum CallScript {
    /// "Type the number on your sign-in screen, then #; 0# reports fraud"; the keys
    /// come back through the voice webhook (or `/dev/phone`) naming the call's token.
    Match { token: String },
    /// "Press 1 then # to approve, or 0# to report fraud", answered the same way.
    Press { token: String },
    /// Reads the code out, twice.
    Code { code: String },
}

pub struct Call<'a> {
    /// E.164.
    pub to: &'a str,
    pub script: &'a CallScript,
}

#[derive(Debug, thiserror::Error)]
pub enum PhoneError {
    /// Worth trying again later (timeout, 5xx, 429).
    #[error("temporary phone provider failure: {0}")]
    Transient(String),
    /// Will not work however often it is tried (rejected number, bad credentials).
    #[error("permanent phone provider failure: {0}")]
    Permanent(String),
}

#[async_trait::async_trait]
pub trait SmsSender: Send + Sync + 'static {
    /// Sends the text; returns the provider's id for it.
    async fn send_sms(&self, sms: Sms<'_>) -> Result<String, PhoneError>;
}

#[async_trait::async_trait]
pub trait VoiceCaller: Send + Sync + 'static {
    /// Places the call; returns the provider's id for it.
    async fn place_call(&self, call: Call<'_>) -> Result<String, PhoneError>;
}

/// What a number-matching call says before waiting for keys.
pub const MATCH_PROMPT: &str = "This is MFA Portal with a sign-in request. \
    To approve it, type the two-digit number shown on your sign-in screen, then press pound. \
    If you did not ask to sign in, press zero and then pound to report fraud.";

/// What a press-to-approve call says before waiting for keys.
pub const PRESS_PROMPT: &str = "This is MFA Portal with a sign-in request. \
    Press one and then pound to approve it, or press zero and then pound to report fraud.";

/// The key that ends what a caller types (Twilio's `finishOnKey`).
pub const FINISH_KEY: char = '#';

/// What the gateway reports for keys typed at a prompt that ends with
/// [`FINISH_KEY`], as Twilio's `<Gather>` does: the keys before the finish key
/// (without it), or everything typed when the caller stops and the wait runs out.
/// `None` when nothing was typed before the finish key or the timeout: then the
/// gateway does not report an answer at all and the call ends unanswered.
pub fn keys_reported(typed: &str) -> Option<String> {
    let digits: String = typed.chars().take_while(|c| *c != FINISH_KEY).collect();
    (!digits.is_empty()).then_some(digits)
}

/// What a code call says: the digits one by one, twice.
pub fn code_speech(code: &str) -> String {
    let spoken: Vec<String> = code.chars().map(|c| c.to_string()).collect();
    let digits = spoken.join(", ");
    format!("Your MFA Portal code is {digits}. Again: {digits}.")
}
