//! The development phone: texts and calls are written to the database and shown on
//! `/dev/phone`, where a tester reads codes and answers calls by pressing keys.
//! Only started in development mode.

use super::phone::{
    Call, CallScript, MATCH_PROMPT, PRESS_PROMPT, PhoneError, Sms, SmsSender, VoiceCaller,
    code_speech,
};
use crate::domain::views::DevMessageKind;
use crate::services::Clock;
use crate::store::{Db, dev_phone};
use std::sync::Arc;

pub struct DevPhone {
    db: Db,
    clock: Arc<dyn Clock>,
}

impl DevPhone {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock }
    }
}

fn stored(err: anyhow::Error) -> PhoneError {
    PhoneError::Transient(format!("development phone: {err:#}"))
}

#[async_trait::async_trait]
impl SmsSender for DevPhone {
    async fn send_sms(&self, sms: Sms<'_>) -> Result<String, PhoneError> {
        let now = self.clock.now();
        let id = dev_phone::insert(
            self.db.pool(),
            DevMessageKind::Sms,
            sms.to,
            sms.body,
            None,
            now,
        )
        .await
        .map_err(stored)?;
        Ok(format!("dev-sms-{id}"))
    }
}

#[async_trait::async_trait]
impl VoiceCaller for DevPhone {
    async fn place_call(&self, call: Call<'_>) -> Result<String, PhoneError> {
        let now = self.clock.now();
        let (speech, token) = match call.script {
            CallScript::Match { token } => (MATCH_PROMPT.to_owned(), Some(token.as_str())),
            CallScript::Press { token } => (PRESS_PROMPT.to_owned(), Some(token.as_str())),
            CallScript::Code { code } => (code_speech(code), None),
        };
        let id = dev_phone::insert(
            self.db.pool(),
            DevMessageKind::Call,
            call.to,
            &speech,
            token,
            now,
        )
        .await
        .map_err(stored)?;
        Ok(format!("dev-call-{id}"))
    }
}
