//! How times are shown to people: UTC, to the minute.

use time::macros::format_description;
use time::{Date, OffsetDateTime};

pub fn utc_minutes(unix_seconds: i64) -> String {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    OffsetDateTime::from_unix_timestamp(unix_seconds)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| "unknown time".to_owned())
}

/// The UTC day of a time, `2026-11-22`.
pub fn utc_day(unix_seconds: i64) -> String {
    let format = format_description!("[year]-[month]-[day]");
    OffsetDateTime::from_unix_timestamp(unix_seconds)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| "unknown day".to_owned())
}

/// A day typed as `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Result<Date, &'static str> {
    Date::parse(text.trim(), format_description!("[year]-[month]-[day]"))
        .map_err(|_| "Enter a date as YYYY-MM-DD, for example 2026-11-01.")
}

/// Midnight UTC at the start of `day`.
pub fn start_of_day(day: Date) -> i64 {
    day.midnight().assume_utc().unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_utc_to_the_minute() {
        assert_eq!(utc_minutes(1_795_384_800), "2026-11-22 22:00 UTC");
    }
}
