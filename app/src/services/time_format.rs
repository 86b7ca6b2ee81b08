//! How times are shown to people: UTC, to the minute.

use time::OffsetDateTime;
use time::macros::format_description;

pub fn utc_minutes(unix_seconds: i64) -> String {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    OffsetDateTime::from_unix_timestamp(unix_seconds)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| "unknown time".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_utc_to_the_minute() {
        assert_eq!(utc_minutes(1_795_384_800), "2026-11-22 22:00 UTC");
    }
}
