//! Who a signed-in person is to the portal, and how strongly MFA applies to them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Roles are ordered: an admin may do what helpdesk staff may do, and helpdesk
/// staff what users may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Helpdesk,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::User, Role::Helpdesk, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Helpdesk => "helpdesk",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::User => "User",
            Role::Helpdesk => "Helpdesk agent",
            Role::Admin => "Administrator",
        }
    }

    /// Whether this role includes the rights of `required`.
    pub fn includes(self, required: Role) -> bool {
        self >= required
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MfaState {
    Disabled,
    Enabled,
    Enforced,
}

impl MfaState {
    pub const ALL: [MfaState; 3] = [MfaState::Disabled, MfaState::Enabled, MfaState::Enforced];

    pub fn as_str(self) -> &'static str {
        match self {
            MfaState::Disabled => "disabled",
            MfaState::Enabled => "enabled",
            MfaState::Enforced => "enforced",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MfaState::Disabled => "Disabled",
            MfaState::Enabled => "Enabled",
            MfaState::Enforced => "Enforced",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {0:?}; expected one of {1}")]
pub struct UnknownVariant(String, &'static str);

impl FromStr for Role {
    type Err = UnknownVariant;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownVariant(s.to_owned(), "user, helpdesk, admin"))
    }
}

impl FromStr for MfaState {
    type Err = UnknownVariant;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MfaState::ALL
            .into_iter()
            .find(|state| state.as_str() == s)
            .ok_or_else(|| UnknownVariant(s.to_owned(), "disabled, enabled, enforced"))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for MfaState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_admin_includes_helpdesk_rights_but_not_the_other_way_round() {
        assert!(Role::Admin.includes(Role::Helpdesk));
        assert!(Role::Helpdesk.includes(Role::User));
        assert!(!Role::Helpdesk.includes(Role::Admin));
        assert!(!Role::User.includes(Role::Helpdesk));
    }

    #[test]
    fn roles_and_states_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        for state in MfaState::ALL {
            assert_eq!(state.as_str().parse::<MfaState>(), Ok(state));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
