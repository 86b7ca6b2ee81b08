//! Request-wide protections: CSRF refusal and security headers.

pub mod csrf;
pub mod security_headers;
