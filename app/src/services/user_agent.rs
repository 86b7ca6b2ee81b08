//! A browser's User-Agent header in words ("Firefox on Windows 10"), with the
//! `woothee` parser (a port of the woothee project's shared rule set, plain regexes,
//! no data files to ship or update at run time).

use std::sync::LazyLock;
use woothee::parser::Parser;

static PARSER: LazyLock<Parser> = LazyLock::new(Parser::new);

const UNKNOWN: &str = "UNKNOWN";

/// "Browser on system", or the client's product name for non-browser clients
/// ("curl"), or "Unknown device" when nothing is recognisable.
pub fn describe(user_agent: &str) -> String {
    let parsed = PARSER.parse(user_agent);
    let browser = parsed.as_ref().map_or(UNKNOWN, |r| r.name);
    let system = parsed.as_ref().map_or(UNKNOWN, |r| system_words(r.os));
    match (browser != UNKNOWN, system != UNKNOWN) {
        (true, true) => format!("{browser} on {system}"),
        // No system means no browser: a library or app, which names itself better
        // ("curl") than the parser's class ("HTTP Library").
        (true, false) => product_token(user_agent).unwrap_or_else(|| browser.to_owned()),
        (false, true) => format!("Unknown browser on {system}"),
        (false, false) => product_token(user_agent).unwrap_or_else(|| "Unknown device".to_owned()),
    }
}

/// woothee's names, in the words people use today.
fn system_words(os: &str) -> &str {
    match os {
        "Mac OSX" => "macOS",
        "iPhone" | "iPod" => "iOS",
        "iPad" => "iPadOS",
        "Windows UNKNOWN Ver" => "Windows",
        other => other,
    }
}

/// The first product token of an unrecognised client ("curl/8.5.0" → "curl"),
/// limited to plain characters so a crafted header shows as nothing odd.
fn product_token(user_agent: &str) -> Option<String> {
    let token = user_agent.split(['/', ' ']).next()?.trim();
    let plain = token
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    (plain && !token.is_empty()).then(|| token.chars().take(40).collect())
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn desktop_browsers() {
        let firefox =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0";
        assert_eq!(describe(firefox), "Firefox on Windows 10");
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
        assert_eq!(describe(chrome), "Chrome on Linux");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91";
        assert_eq!(describe(edge), "Edge on Windows 10");
        let safari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15";
        assert_eq!(describe(safari), "Safari on macOS");
    }

    #[test]
    fn phones() {
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1";
        assert_eq!(describe(iphone), "Safari on iOS");
        let android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36";
        assert_eq!(describe(android), "Chrome on Android");
    }

    #[test]
    fn other_clients() {
        assert_eq!(describe("curl/8.5.0"), "curl");
        assert_eq!(describe(""), "Unknown device");
        assert_eq!(describe("=HYPERLINK(\"x\")"), "Unknown device");
    }
}
