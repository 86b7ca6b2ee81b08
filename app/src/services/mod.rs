//! The business rules. Given a store, a clock and settings; no HTTP.

pub mod accounts;
pub mod audit;
pub mod caller;
pub mod clock;
pub mod overview;
pub mod password_policy;
pub mod passwords;
pub mod sign_in;
pub mod time_format;

pub use caller::Caller;
pub use clock::{Clock, ManualClock, SystemClock};
