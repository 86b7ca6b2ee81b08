//! RFC 4226 (HOTP) and RFC 6238 (TOTP): HMAC-SHA1/SHA256/SHA512, 6 or 8 digits,
//! 30 or 60 second steps, 64-bit counters. Pure functions; no I/O, no clock.

use hmac::{Hmac, Mac};
use subtle::ConstantTimeEq;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512]
            .into_iter()
            .find(|a| a.as_str() == name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TotpParams {
    pub algorithm: Algorithm,
    /// 6 or 8.
    pub digits: u32,
    /// Step length in seconds: 30 or 60.
    pub period: i64,
}

impl TotpParams {
    /// What Microsoft and Google Authenticator support (they ignore anything else).
    pub const AUTHENTICATOR_APPS: TotpParams = TotpParams {
        algorithm: Algorithm::Sha1,
        digits: 6,
        period: 30,
    };

    /// The time step containing `unix_seconds`.
    pub fn step_at(&self, unix_seconds: i64) -> i64 {
        unix_seconds.div_euclid(self.period)
    }
}

/// HOTP value for `counter` (RFC 4226 section 5.3, dynamic truncation).
pub fn hotp(secret: &[u8], counter: u64, digits: u32, algorithm: Algorithm) -> u32 {
    let mac = match algorithm {
        Algorithm::Sha1 => hmac_bytes::<Hmac<sha1::Sha1>>(secret, counter),
        Algorithm::Sha256 => hmac_bytes::<Hmac<sha2::Sha256>>(secret, counter),
        Algorithm::Sha512 => hmac_bytes::<Hmac<sha2::Sha512>>(secret, counter),
    };
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([
        mac[offset] & 0x7f,
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ]);
    binary % 10_u32.pow(digits)
}

fn hmac_bytes<M: Mac + hmac::digest::KeyInit>(secret: &[u8], counter: u64) -> Vec<u8> {
    // HMAC takes keys of any length, so this never fails.
    let mut mac =
        <M as hmac::digest::KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    mac.update(&counter.to_be_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The code for time step `step`, zero-padded to the configured digits.
pub fn code_for_step(secret: &[u8], params: TotpParams, step: i64) -> String {
    let counter = u64::try_from(step).unwrap_or(0);
    let value = hotp(secret, counter, params.digits, params.algorithm);
    format!("{value:0width$}", width = params.digits as usize)
}

/// The first of `steps` whose code equals `code`, compared in constant time.
pub fn matching_step(
    secret: &[u8],
    params: TotpParams,
    code: &str,
    steps: impl IntoIterator<Item = i64>,
) -> Option<i64> {
    steps.into_iter().filter(|step| *step >= 0).find(|step| {
        code_for_step(secret, params, *step)
            .as_bytes()
            .ct_eq(code.as_bytes())
            .into()
    })
}

/// The first counter in `counters` whose HOTP code equals `code` (constant time).
pub fn matching_counter(
    secret: &[u8],
    params: TotpParams,
    code: &str,
    counters: std::ops::Range<i64>,
) -> Option<i64> {
    matching_step(secret, params, code, counters)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_20: &[u8] = b"12345678901234567890";
    const SEED_32: &[u8] = b"12345678901234567890123456789012";
    const SEED_64: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

    #[test]
    fn every_rfc_4226_appendix_d_value_is_reproduced() {
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, value) in expected.into_iter().enumerate() {
            assert_eq!(
                hotp(SEED_20, counter as u64, 6, Algorithm::Sha1),
                value,
                "counter {counter}"
            );
        }
    }

    #[test]
    fn every_rfc_6238_appendix_b_value_is_reproduced() {
        let table: [(i64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1_111_111_109, "07081804", "68084774", "25091201"),
            (1_111_111_111, "14050471", "67062674", "99943326"),
            (1_234_567_890, "89005924", "91819424", "93441116"),
            (2_000_000_000, "69279037", "90698825", "38618901"),
            (20_000_000_000, "65353130", "77737706", "47863826"),
        ];
        for (time, sha1, sha256, sha512) in table {
            for (algorithm, seed, expected) in [
                (Algorithm::Sha1, SEED_20, sha1),
                (Algorithm::Sha256, SEED_32, sha256),
                (Algorithm::Sha512, SEED_64, sha512),
            ] {
                let params = TotpParams {
                    algorithm,
                    digits: 8,
                    period: 30,
                };
                assert_eq!(
                    code_for_step(seed, params, params.step_at(time)),
                    expected,
                    "{algorithm:?} at {time}"
                );
            }
        }
    }

    #[test]
    fn a_time_past_2038_needs_and_gets_a_64_bit_counter() {
        let params = TotpParams {
            algorithm: Algorithm::Sha1,
            digits: 8,
            period: 30,
        };
        assert_eq!(params.step_at(20_000_000_000), 666_666_666);
        assert_eq!(
            code_for_step(SEED_20, params, params.step_at(20_000_000_000)),
            "65353130"
        );
    }

    #[test]
    fn six_digit_codes_are_zero_padded_and_60_second_steps_supported() {
        let params = TotpParams {
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: 60,
        };
        assert_eq!(params.step_at(119), 1);
        let code = code_for_step(SEED_20, params, 1);
        assert_eq!(code.len(), 6);
        assert_eq!(code, format!("{:06}", hotp(SEED_20, 1, 6, Algorithm::Sha1)));
    }

    #[test]
    fn the_matching_step_is_found_only_among_the_given_steps() {
        let params = TotpParams::AUTHENTICATOR_APPS;
        let code = code_for_step(SEED_20, params, 100);
        assert_eq!(matching_step(SEED_20, params, &code, 99..=101), Some(100));
        assert_eq!(matching_step(SEED_20, params, &code, 102..=104), None);
        assert_eq!(matching_step(SEED_20, params, "000000", [-1]), None);
    }

    #[test]
    fn algorithm_names_round_trip() {
        for algorithm in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
            assert_eq!(Algorithm::parse(algorithm.as_str()), Some(algorithm));
        }
        assert_eq!(Algorithm::parse("MD5"), None);
    }
}
