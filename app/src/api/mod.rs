//! Server functions: the only door from the browser into the server side. Each one
//! finds out who is calling, parses its inputs, calls a service and maps the error.

pub mod account;
pub mod admin;
pub mod admin_people;
pub mod app_passwords;
pub mod audit_log;
#[cfg(feature = "ssr")]
pub mod browser_session;
pub mod dev_phone;
pub mod directory;
pub mod fraud_queue;
#[cfg(feature = "ssr")]
pub mod guard;
pub mod hardware_tokens;
pub mod helpdesk;
pub mod history;
pub mod import;
pub mod mfa;
pub mod phones;
pub mod policies;
pub mod push;
#[cfg(feature = "ssr")]
pub mod responses;
pub mod security;
pub mod session;
pub mod setup;
pub mod travel;
