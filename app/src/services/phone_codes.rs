//! One-time codes for texts and code calls: six digits from the operating system's
//! CSPRNG, valid ten minutes, used once, kept only as a keyed hash bound to their
//! challenge; and the rules for trying and resending them.

use crate::domain::ChallengeState;
use crate::store::phone_challenges::{ChallengeRow, ResendRules};
use rand::Rng;
use rand::rngs::OsRng;
use zeroize::Zeroizing;

pub const CODE_TTL_SECS: i64 = 10 * 60;
/// Wrong codes one challenge takes before it is dead.
pub const MAX_FAILURES: i64 = 5;
pub const MIN_RESEND_GAP_SECS: i64 = 30;
/// Messages one challenge may cause: the first and two resends.
pub const MAX_SENDS: i64 = 3;
pub const RESEND_RULES: ResendRules = ResendRules {
    max_sends: MAX_SENDS,
    min_gap_secs: MIN_RESEND_GAP_SECS,
    max_failures: MAX_FAILURES,
};

/// A fresh code; wiped from memory when dropped.
pub struct PhoneCode(Zeroizing<String>);

impl PhoneCode {
    pub fn generate() -> Self {
        let value: u32 = OsRng.gen_range(0..1_000_000);
        Self(Zeroizing::new(format!("{value:06}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PhoneCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PhoneCode(<redacted>)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeState {
    Usable,
    Expired,
    TooManyFailures,
    /// Used, or the call was answered, or delivery failed.
    Closed,
}

pub fn code_state(challenge: &ChallengeRow, now: i64) -> CodeState {
    if challenge.status != ChallengeState::Open {
        CodeState::Closed
    } else if now > challenge.expires_at {
        CodeState::Expired
    } else if challenge.failures >= MAX_FAILURES {
        CodeState::TooManyFailures
    } else {
        CodeState::Usable
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResendRefusal {
    TooSoon { wait_secs: i64 },
    TooMany,
    Closed,
}

/// A resend replaces the code but keeps the challenge's expiry and failures, so
/// resending cannot buy more guesses or more time.
pub fn resend_allowed(challenge: &ChallengeRow, now: i64) -> Result<(), ResendRefusal> {
    if code_state(challenge, now) != CodeState::Usable {
        return Err(ResendRefusal::Closed);
    }
    if challenge.sends >= MAX_SENDS {
        return Err(ResendRefusal::TooMany);
    }
    let wait_secs = challenge.last_sent_at + MIN_RESEND_GAP_SECS - now;
    if wait_secs > 0 {
        return Err(ResendRefusal::TooSoon { wait_secs });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ChallengePurpose, PhoneChannel};

    fn challenge(now: i64) -> ChallengeRow {
        ChallengeRow {
            id: 1,
            user_id: 1,
            method_id: crate::store::MethodId(1),
            purpose: ChallengePurpose::SignIn,
            channel: PhoneChannel::Sms,
            voice_mode: None,
            bound_event_id: 1,
            ip: "192.0.2.1".into(),
            user_agent: String::new(),
            code_mac: Some("mac".into()),
            call_token: None,
            created_at: now,
            expires_at: now + CODE_TTL_SECS,
            sends: 1,
            last_sent_at: now,
            failures: 0,
            outbox_id: Some(1),
            status: ChallengeState::Open,
            result_code: None,
            match_number: None,
        }
    }

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: Vec<String> = (0..200)
            .map(|_| PhoneCode::generate().as_str().to_owned())
            .collect();
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 6 && c.chars().all(|d| d.is_ascii_digit()))
        );
        let distinct: std::collections::HashSet<&String> = codes.iter().collect();
        assert!(distinct.len() > 190, "{} distinct of 200", distinct.len());
        assert_eq!(
            format!("{:?}", PhoneCode::generate()),
            "PhoneCode(<redacted>)"
        );
    }

    #[test]
    fn a_code_is_usable_for_ten_minutes_then_expired() {
        let row = challenge(1_000);
        assert_eq!(code_state(&row, 1_000), CodeState::Usable);
        assert_eq!(code_state(&row, 1_000 + 600), CodeState::Usable);
        assert_eq!(code_state(&row, 1_000 + 601), CodeState::Expired);
    }

    #[test]
    fn a_used_code_or_too_many_failures_closes_the_challenge() {
        let mut row = challenge(1_000);
        row.status = ChallengeState::Used;
        assert_eq!(code_state(&row, 1_001), CodeState::Closed);
        let mut row = challenge(1_000);
        row.failures = MAX_FAILURES;
        assert_eq!(code_state(&row, 1_001), CodeState::TooManyFailures);
    }

    #[test]
    fn resending_waits_thirty_seconds_and_stops_after_three_messages() {
        let mut row = challenge(1_000);
        assert_eq!(
            resend_allowed(&row, 1_010),
            Err(ResendRefusal::TooSoon { wait_secs: 20 })
        );
        assert_eq!(resend_allowed(&row, 1_030), Ok(()));
        row.sends = MAX_SENDS;
        assert_eq!(resend_allowed(&row, 1_100), Err(ResendRefusal::TooMany));
        let mut row = challenge(1_000);
        row.failures = MAX_FAILURES;
        assert_eq!(resend_allowed(&row, 1_100), Err(ResendRefusal::Closed));
    }

    #[test]
    fn the_stored_hash_is_bound_to_the_challenge() {
        let keys = crate::services::secret_box::Keys::from_master(&[7; 32]);
        let a = keys.phone_code_mac(1, "123456");
        assert_eq!(a, keys.phone_code_mac(1, "123456"));
        assert_ne!(a, keys.phone_code_mac(2, "123456"));
        assert!(!a.contains("123456"));
    }
}
