//! Addresses with a query, for the links that page through lists.

/// `path?key=value&…` with each value percent-encoded; `path` alone without params.
pub fn with_query(path: &str, params: &[(String, String)]) -> String {
    if params.is_empty() {
        return path.to_owned();
    }
    let query = params
        .iter()
        .map(|(key, value)| format!("{key}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    format!("{path}?{query}")
}

/// Percent-encodes a query value: whatever was typed into a filter or the address
/// must not break the link.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_encoded_and_no_params_is_the_path() {
        let params = [("to".to_owned(), "a&b=c é".to_owned())];
        assert_eq!(with_query("/x", &params), "/x?to=a%26b%3Dc%20%C3%A9");
        assert_eq!(with_query("/x", &[]), "/x");
    }
}
