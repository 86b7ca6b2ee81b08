//! Reusable view pieces.

mod add_authenticator;
mod alert;
mod app_passwords;
mod auth_frame;
mod code_field;
mod confirm_identity;
mod default_method;
mod field;
mod header;
mod island;
mod layout;
mod loaded;
mod phone_challenge;
mod phones;
mod reload;
mod sessions;
mod status;

pub use add_authenticator::AddAuthenticator;
pub use alert::{ErrorAlert, FormAlert};
pub use app_passwords::AppPasswordsSection;
pub use auth_frame::AuthFrame;
pub use code_field::CodeField;
pub use confirm_identity::{AddAfterConfirming, ConfirmIdentityForm, ConfirmWays};
pub use default_method::DefaultMethodSection;
pub use field::TextField;
pub use header::Header;
pub use island::island_hydrating;
pub use layout::{AreaLayout, PortalLayout};
pub use loaded::Loaded;
pub use phone_challenge::PhoneChallengeStep;
pub use phones::{AddPhoneForm, PhonesSection, SelectField};
pub use reload::{go_to, reload_page};
pub use sessions::SessionsSection;
pub use status::set_status;
