//! Texts and calls sent for a purpose, and where each stands.

crate::text_enum! {
    /// What a code or call is for; a challenge only counts for its own purpose.
    pub enum ChallengePurpose {
        /// Verifying a phone being added.
        Enrol = "enrol",
        /// The second step of a sign-in.
        SignIn = "sign_in",
        /// Confirming identity before changing methods.
        Confirm = "confirm",
        /// A helpdesk agent verifying the person on the phone: the person reads the
        /// code to the agent. It never signs anyone in.
        Helpdesk = "helpdesk",
    }
}

crate::text_enum! {
    /// A challenge's state (the `status` column of `phone_challenges`).
    pub enum ChallengeState {
        /// Sent; a code may be typed or the call answered.
        Open = "open",
        /// The call was approved; the sign-in it was for has not taken it yet.
        Approved = "approved",
        /// Answered with the wrong keys, not answered, or hung up.
        Denied = "denied",
        /// The person reported it (0# on a call).
        Fraud = "fraud",
        /// The text or call could not be delivered.
        Unreachable = "unreachable",
        /// A right code, or an approval taken by its sign-in: single use.
        Used = "used",
        /// Given up (too many tries, or replaced).
        Dead = "dead",
    }
}
