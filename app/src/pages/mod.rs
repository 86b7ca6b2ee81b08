//! One module per page.

mod account;
mod admin;
pub(crate) mod helpdesk;
mod home;
mod not_found;
mod register;
mod second_step;
mod security;
mod sign_in;

pub use account::AccountPage;
pub use admin::AdminPage;
pub use helpdesk::HelpdeskPage;
pub use home::HomePage;
pub use not_found::NotFoundPage;
pub use register::RegisterPage;
pub use second_step::SecondStepPage;
pub use security::SecurityPage;
pub use sign_in::SignInPage;
