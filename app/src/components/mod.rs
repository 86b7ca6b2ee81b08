//! Reusable view pieces.

mod alert;
mod field;
mod header;
mod layout;
mod status;

pub use alert::{ErrorAlert, FormAlert};
pub use field::TextField;
pub use header::Header;
pub use layout::{AreaLayout, PortalLayout};
pub use status::set_status;
