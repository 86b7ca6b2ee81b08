//! Making user-supplied text safe to store next to log-like records.

/// Escapes control characters (CR, LF, tabs, escapes…) so typed text cannot forge
/// extra lines in an event list or log, and bounds its length.
pub fn escape_control(raw: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for c in raw.chars().take(max_chars) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_are_escaped_and_text_is_bounded() {
        assert_eq!(escape_control("alice\r\nok", 100), "alice\\r\\nok");
        assert_eq!(escape_control("abcdef", 3), "abc");
        assert_eq!(escape_control("zoë", 10), "zoë");
    }
}
