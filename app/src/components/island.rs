//! What every island does first, so the page can tell when all of its islands are
//! live (browser tests wait for `body[data-hydrated]`). Lazy islands hydrate only
//! after their own wasm has arrived, later than the page's main bundle.

/// Call first in every `#[island]`. In the browser it counts the island off; after
/// the last one on the page, `body[data-hydrated]` is set. Nothing on the server.
pub fn island_hydrating() {
    #[cfg(feature = "hydrate")]
    crate::browser::island_hydrating();
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every `.rs` file under `dir`, with its text.
    fn sources(dir: &Path, found: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push((path.display().to_string(), text));
            }
        }
    }

    /// An island that forgot the call would leave its pages never marked hydrated;
    /// this names it instead of letting a browser test time out.
    #[test]
    fn every_island_counts_itself_first() {
        let mut files = Vec::new();
        sources(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut islands = 0;
        for (path, text) in &files {
            for (at, _) in text.match_indices("\n#[island") {
                islands += 1;
                let rest = &text[at..];
                let body = &rest[rest.find('{').unwrap() + 1..];
                assert!(
                    body.trim_start().starts_with("island_hydrating();"),
                    "the island at byte {at} of {path} must call island_hydrating() first"
                );
            }
        }
        assert!(islands >= 15, "found only {islands} islands");
    }
}
