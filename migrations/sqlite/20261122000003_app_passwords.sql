-- App passwords for non-browser apps, and the app a sign-in event came from.
-- Keep in step with the other engine's file of the same name.

CREATE TABLE app_passwords (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    -- HMAC-SHA256 of the password under a key derived from the master key; the
    -- password itself is shown once and never stored.
    secret_mac   TEXT    NOT NULL UNIQUE,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT,
    last_used_ip TEXT,
    revoked_at   BIGINT
);
CREATE INDEX app_passwords_by_user ON app_passwords (user_id);

-- "Portal" for browser sign-ins, an app password's name, an API client's name.
ALTER TABLE sign_in_events ADD COLUMN app_name TEXT NOT NULL DEFAULT 'Portal';
