//! One module per page.

mod account;
mod admin;
mod admin_new_person;
mod admin_people;
mod admin_person;
mod admin_person_actions;
mod admin_policies;
mod dev_phone;
pub(crate) mod helpdesk;
mod home;
pub(crate) mod links;
mod new_password;
mod not_found;
mod register;
mod report_sign_in;
mod second_step;
mod security;
mod sign_in;
mod sign_in_history;

pub use account::AccountPage;
pub use admin::AdminPage;
pub use admin_new_person::AdminNewPersonPage;
pub use admin_people::AdminPeoplePage;
pub use admin_person::AdminPersonPage;
pub use admin_policies::AdminPoliciesPage;
pub use dev_phone::DevPhonePage;
pub use helpdesk::HelpdeskPage;
pub use home::HomePage;
pub use new_password::NewPasswordPage;
pub use not_found::NotFoundPage;
pub use register::RegisterPage;
pub use report_sign_in::ReportSignInPage;
pub use second_step::SecondStepPage;
pub use security::SecurityPage;
pub use sign_in::SignInPage;
pub use sign_in_history::SignInHistoryPage;
