//! The business rules. Given a store, a clock and settings; no HTTP.

pub mod accounts;
pub mod admin_actions;
pub mod app_passwords;
pub mod audit;
pub mod authenticator;
pub mod caller;
pub mod clock;
pub mod default_method;
pub mod directory;
pub mod fraud;
pub mod limits;
pub mod lockout;
pub mod notify;
pub mod otp;
pub mod outbox_delivery;
pub mod overview;
pub mod password_change;
pub mod password_policy;
pub mod passwords;
pub mod phone_calls;
pub mod phone_codes;
pub mod phone_delivery;
pub mod phones;
pub mod portal_settings;
pub mod remembered;
pub mod second_step;
pub mod secret_box;
pub mod security;
pub mod sessions;
pub mod sign_in;
pub mod sign_in_flow;
pub mod sign_in_history;
pub mod time_format;
pub mod user_agent;

pub use caller::Caller;
pub use clock::{Clock, ManualClock, SystemClock};
