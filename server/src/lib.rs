//! The `mfa-portal` process: configuration, command line, start-up, the router and
//! background work. `main` parses arguments and calls into here; tests call
//! [`startup::build`] directly.
// Leptos view types nest deeply; the default limit is too small for the pages.
#![recursion_limit = "256"]

pub mod api_v1;
pub mod audit_export;
pub mod cli;
pub mod config;
pub mod database;
pub mod demo;
pub mod history_export;
pub mod import_routes;
pub mod import_worker;
pub mod keys;
pub mod logging;
pub mod mail_worker;
pub mod middleware;
pub mod phone_worker;
pub mod push_device;
pub mod routes;
pub mod startup;
pub mod voice_webhook;
