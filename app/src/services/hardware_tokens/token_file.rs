//! Reading a hardware-token seed file: CSV whose first line names the columns
//! `serial`, `secret` (hex or base32), `type` (totp or hotp), `digits` (6 or 8),
//! `period` (30 or 60; TOTP), and optionally `algorithm` (sha1, sha256, sha512) and
//! `counter` (HOTP, where the token starts). Each row is checked on its own.

use crate::services::otp::totp::Algorithm;
use data_encoding::{BASE32_NOPAD, HEXLOWER_PERMISSIVE};

pub const MAX_TOKENS: usize = 10_000;
const COLUMNS: &str = "serial, secret, type, digits, period, algorithm, counter";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Totp,
    Hotp,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Totp => "totp",
            Mode::Hotp => "hotp",
        }
    }

    pub fn parse(raw: &str) -> Option<Mode> {
        match raw {
            "totp" => Some(Mode::Totp),
            "hotp" => Some(Mode::Hotp),
            _ => None,
        }
    }
}

/// One token as the file describes it; the secret is wiped when dropped.
pub struct TokenRow {
    pub serial: String,
    pub secret: zeroize::Zeroizing<Vec<u8>>,
    pub mode: Mode,
    pub algorithm: Algorithm,
    pub digits: u32,
    pub period: i64,
    pub counter: i64,
}

/// Never prints the secret.
impl std::fmt::Debug for TokenRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRow")
            .field("serial", &self.serial)
            .field("mode", &self.mode)
            .field("secret", &"<sealed on import>")
            .finish_non_exhaustive()
    }
}

/// A row that could not be read: its line, the serial if any, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub line: u64,
    pub serial: String,
    pub problem: String,
}

/// The file's tokens and the rows refused, or why the file cannot be read at all.
pub fn read(bytes: &[u8]) -> Result<(Vec<TokenRow>, Vec<RowProblem>), String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_err() {
        return Err("The file is not UTF-8 text. Save it as CSV (UTF-8).".to_owned());
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("The first line cannot be read as CSV: {e}."))?
        .iter()
        .map(|h| h.to_lowercase().replace([' ', '_', '-'], ""))
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name);
    let (Some(serial), Some(secret)) = (at("serial"), at("secret")) else {
        return Err(format!(
            "The first line must name the columns: {COLUMNS} (serial and secret at least)."
        ));
    };
    let columns = Columns {
        serial,
        secret,
        mode: at("type"),
        digits: at("digits"),
        period: at("period"),
        algorithm: at("algorithm"),
        counter: at("counter"),
    };
    let (mut tokens, mut problems) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = record.map_err(|e| format!("The file is not valid CSV: {e}."))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        if tokens.len() + problems.len() == MAX_TOKENS {
            return Err(format!(
                "The file has more than {MAX_TOKENS} tokens. Split it."
            ));
        }
        let line = record.position().map_or(0, csv::Position::line);
        match columns.token(&record) {
            Ok(token) => tokens.push(token),
            Err(problem) => problems.push(RowProblem {
                line,
                serial: record
                    .get(columns.serial)
                    .unwrap_or("")
                    .chars()
                    .take(64)
                    .collect(),
                problem,
            }),
        }
    }
    if tokens.is_empty() && problems.is_empty() {
        return Err("The file has a header but no tokens.".to_owned());
    }
    Ok((tokens, problems))
}

struct Columns {
    serial: usize,
    secret: usize,
    mode: Option<usize>,
    digits: Option<usize>,
    period: Option<usize>,
    algorithm: Option<usize>,
    counter: Option<usize>,
}

impl Columns {
    fn token(&self, record: &csv::StringRecord) -> Result<TokenRow, String> {
        let field = |at: Option<usize>| at.and_then(|i| record.get(i)).unwrap_or("");
        let serial = field(Some(self.serial));
        if serial.is_empty()
            || serial.len() > 64
            || !serial
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err("Serial: 1 to 64 letters, digits, - _ or .".to_owned());
        }
        let secret = secret_bytes(field(Some(self.secret)))?;
        let mode_text = field(self.mode).to_lowercase();
        let mode = if mode_text.is_empty() {
            Mode::Totp
        } else {
            Mode::parse(&mode_text).ok_or("Type: use totp or hotp.")?
        };
        let algorithm_text = field(self.algorithm).to_uppercase();
        let algorithm = if algorithm_text.is_empty() {
            Algorithm::Sha1
        } else {
            Algorithm::parse(&algorithm_text).ok_or("Algorithm: use sha1, sha256 or sha512.")?
        };
        let digits = match field(self.digits) {
            "" | "6" => 6,
            "8" => 8,
            _ => return Err("Digits: use 6 or 8.".to_owned()),
        };
        let period = match (mode, field(self.period)) {
            (_, "" | "30") => 30,
            (Mode::Totp, "60") => 60,
            (Mode::Hotp, _) => {
                return Err("Period: HOTP tokens have none; leave it empty.".to_owned());
            }
            _ => return Err("Period: use 30 or 60 seconds.".to_owned()),
        };
        let counter = match (mode, field(self.counter)) {
            (_, "") => 0,
            (Mode::Hotp, raw) => raw
                .parse::<i64>()
                .ok()
                .filter(|c| *c >= 0)
                .ok_or("Counter: a whole number from 0.")?,
            (Mode::Totp, _) => {
                return Err("Counter: TOTP tokens have none; leave it empty.".to_owned());
            }
        };
        Ok(TokenRow {
            serial: serial.to_owned(),
            secret,
            mode,
            algorithm,
            digits,
            period,
            counter,
        })
    }
}

/// Hex (even length, 0-9a-f) or base32 (RFC 4648, padding and spaces ignored), 16 to
/// 64 bytes: RFC 4226 asks for at least 128 bits.
fn secret_bytes(raw: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, String> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let is_hex = compact.len().is_multiple_of(2) && compact.chars().all(|c| c.is_ascii_hexdigit());
    let decoded = if is_hex {
        HEXLOWER_PERMISSIVE.decode(compact.as_bytes()).ok()
    } else {
        let upper = compact.trim_end_matches('=').to_uppercase();
        BASE32_NOPAD.decode(upper.as_bytes()).ok()
    };
    let bytes = decoded.ok_or("Secret: not hex or base32.")?;
    if !(16..=64).contains(&bytes.len()) {
        return Err(format!(
            "Secret: {} bytes; a token secret has 16 to 64 (128 bits at least).",
            bytes.len()
        ));
    }
    Ok(zeroize::Zeroizing::new(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_base32_secrets_and_each_bad_field_are_read() {
        let file = "Serial,Secret,Type,Digits,Period,Algorithm,Counter\n\
                    T-1,3132333435363738393031323334353637383930,totp,6,30,,\n\
                    H-1,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,HOTP,8,,sha256,5\n\
                    bad serial!,3132333435363738393031323334353637383930,,,,,\n\
                    H-2,3132,hotp,6,,,\n\
                    H-3,3132333435363738393031323334353637383930,hotp,6,60,,\n\
                    T-2,3132333435363738393031323334353637383930,totp,7,,,\n";
        let (tokens, problems) = read(file.as_bytes()).unwrap();
        assert_eq!(tokens.len(), 2);
        assert_eq!(tokens[0].secret.as_slice(), b"12345678901234567890");
        assert_eq!(tokens[1].secret.as_slice(), b"12345678901234567890");
        assert_eq!(
            (tokens[1].mode, tokens[1].digits, tokens[1].counter),
            (Mode::Hotp, 8, 5)
        );
        assert_eq!(tokens[1].algorithm, Algorithm::Sha256);
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [4, 5, 6, 7]);
        assert!(problems[0].problem.starts_with("Serial"));
        assert!(problems[1].problem.contains("2 bytes"));
        assert!(problems[2].problem.starts_with("Period"));
        assert!(problems[3].problem.starts_with("Digits"));
    }

    #[test]
    fn a_file_without_the_needed_columns_is_refused() {
        assert!(
            read(b"serial,type\nT-1,totp\n")
                .unwrap_err()
                .contains("serial and secret")
        );
        assert!(read(b"serial,secret\n").unwrap_err().contains("no tokens"));
    }
}
