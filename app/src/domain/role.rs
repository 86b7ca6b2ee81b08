//! Who a signed-in person is to the portal, and how strongly MFA applies to them.

crate::text_enum! {
    /// Roles are ordered: an admin may do what helpdesk staff may do, and helpdesk
    /// staff what users may do.
    #[derive(PartialOrd, Ord)]
    pub enum Role {
        User = "user",
        Helpdesk = "helpdesk",
        Admin = "admin",
    }
}

impl Role {
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

crate::text_enum! {
    pub enum MfaState {
        Disabled = "disabled",
        Enabled = "enabled",
        Enforced = "enforced",
    }
}

impl MfaState {
    pub fn label(self) -> &'static str {
        match self {
            MfaState::Disabled => "Disabled",
            MfaState::Enabled => "Enabled",
            MfaState::Enforced => "Enforced",
        }
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
