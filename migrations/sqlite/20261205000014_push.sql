-- Notification in the app (the privacyIDEA PUSH protocol, poll only): a device is a
-- method (mfa_methods.kind = 'push', pending until the app finished enrolment and
-- answered one test prompt). Only a keyed hash of the enrolment credential is kept,
-- and the device's public key; challenges are single use and bound to one sign-in.
-- Keep in step with the other engine's file of the same name.
CREATE TABLE push_devices (
    method_id             BIGINT  PRIMARY KEY REFERENCES mfa_methods (id) ON DELETE CASCADE,
    user_id               BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    serial                TEXT    NOT NULL UNIQUE,
    credential_mac        TEXT,
    credential_expires_at BIGINT  NOT NULL,
    device_key            TEXT,
    enrolled_at           BIGINT,
    last_poll_at          BIGINT,
    -- 1: the app lets the person type the number (the web authenticator says so at
    -- enrolment); others are offered three numbers to pick from.
    types_numbers         BIGINT  NOT NULL DEFAULT 0,
    -- Web Push (optional): the browser subscription of a web authenticator, so a
    -- prompt arrives while its page is closed. Posted only to listed push services.
    web_push_endpoint     TEXT,
    web_push_p256dh       TEXT,
    web_push_auth         TEXT,
    -- The web authenticator's offline codes: a TOTP method activated with the device.
    offline_method_id     BIGINT  REFERENCES mfa_methods (id) ON DELETE SET NULL
);
CREATE INDEX push_devices_user ON push_devices (user_id);

CREATE TABLE push_challenges (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    nonce          TEXT    NOT NULL UNIQUE,
    purpose        TEXT    NOT NULL,
    device_id      BIGINT,
    bound_event_id BIGINT  NOT NULL,
    approval       TEXT    NOT NULL,
    shown_code     TEXT    NOT NULL,
    choices        TEXT    NOT NULL,
    question       TEXT    NOT NULL,
    ip             TEXT    NOT NULL,
    user_agent     TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    expires_at     BIGINT  NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'open',
    result_code    BIGINT,
    decided_at     BIGINT,
    answered_by    BIGINT
);
CREATE INDEX push_challenges_open ON push_challenges (user_id, status, expires_at);

-- The portal's own signing key for challenges (one row), sealed like other secrets.
CREATE TABLE push_server_keys (
    id          BIGINT  PRIMARY KEY,
    sealed_key  TEXT    NOT NULL,
    public_key  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
