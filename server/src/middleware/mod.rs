//! Request-wide protections: CSRF refusal, security headers, and the read-only
//! guard of a helpdesk view.

pub mod csrf;
pub mod read_only_view;
pub mod security_headers;
