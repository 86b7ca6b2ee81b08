//! The outside world behind small traits: each with a real implementation (and,
//! later, local ones for development).

pub mod dev_phone;
pub mod mail;
pub mod phone;
pub mod twilio;
pub mod web_push;
