//! Integration tests: the real portal (the `build()` `main` uses) on 127.0.0.1:0
//! with a fresh database each, driven over HTTP.

// Test helpers may unwrap too: a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod access;
mod admin_account_actions;
mod admin_actions;
mod app_passwords;
mod audit_log;
mod cli;
mod dashboard;
mod directory;
mod fraud;
mod fraud_queue;
mod hardware_tokens;
mod headers;
mod helpdesk;
mod helpdesk_phone_checks;
mod helpers;
mod history;
mod import;
mod mail;
mod parallel_limits;
mod phone_gateway;
mod phone_helpers;
mod phones;
mod policies;
mod push_app;
mod push_approval_modes;
mod push_helpers;
mod push_parallel;
mod push_protocol;
mod push_service;
mod push_web_push;
mod sessions;
mod setup_links;
mod sign_in;
mod smtp_server;
mod totp;
mod totp_helpers;
mod travel;
mod twilio_calls;
mod view_as;
mod voice_modes;
