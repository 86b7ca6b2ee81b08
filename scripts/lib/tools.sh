# Shared by scripts/run and scripts/test: install what is missing, idempotently and
# quickly when everything is already there. Sourced, not executed.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.10"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mfa-portal-target}"
export LEPTOS_OUTPUT_NAME="mfa-portal"
# cargo-leptos writes the site to <repo>/target/site (site-root in Cargo.toml) whatever
# the target dir; the server serves it from there.
export MFA_PORTAL_SITE_ROOT="${MFA_PORTAL_SITE_ROOT:-$REPO_ROOT/target/site}"
# Every build splits the wasm: each `#[island(lazy)]` gets its own file, loaded only
# by the pages that show it, so the sign-in page downloads the main bundle alone.
# Without it the site still works, but every page downloads every island.
LEPTOS_BUILD_FLAGS=(--split)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 18 minutes on 2 cores, once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
  local bindgen_version
  bindgen_version="$(grep -A1 '^name = "wasm-bindgen"$' "$REPO_ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
    say "installing wasm-bindgen-cli $bindgen_version (about 4 minutes, once)"
    cargo install wasm-bindgen-cli --version "$bindgen_version"
  fi
}

ensure_npm_packages() {
  # binaryen's wasm-opt (release builds) and Playwright live in end2end/node_modules.
  if [ ! -x "$REPO_ROOT/end2end/node_modules/.bin/playwright" ] \
    || [ "$REPO_ROOT/end2end/package-lock.json" -nt "$REPO_ROOT/end2end/node_modules/.package-lock.json" ]; then
    say "installing npm packages in end2end/"
    (cd "$REPO_ROOT/end2end" && npm ci --no-audit --no-fund)
  fi
  export PATH="$REPO_ROOT/end2end/node_modules/.bin:$PATH"
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium"
    as_root apt-get update
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y chromium
  fi
}

# A PostgreSQL for the database tests: the machine's own on 127.0.0.1:5432 if it
# answers, else Debian's, installed and started here.
ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    return
  fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    say "installing Debian's postgresql"
    as_root apt-get update
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y postgresql
  fi
  say "starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
  done
  pg_isready -h 127.0.0.1 -p 5432
}

# A real SMTP server for the mail tests (Python's aiosmtpd, from PyPI).
ensure_aiosmtpd() {
  if ! python3 -c "import aiosmtpd" 2>/dev/null; then
    say "installing aiosmtpd (SMTP server for the tests)"
    python3 -m pip install --quiet aiosmtpd
  fi
}
