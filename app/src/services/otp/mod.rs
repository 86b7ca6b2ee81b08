//! One-time passwords: the RFC 4226/6238 arithmetic and the rules for accepting a code.

pub mod totp;
