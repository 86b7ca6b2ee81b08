-- Authenticator apps (TOTP), remembered devices and the outbox of messages to send.
-- Keep in step with the other engine's file of the same name.

-- A method is 'pending' from enrolment until its first correct code, and counts for
-- nothing until then; a pending method past pending_until is dead.
ALTER TABLE mfa_methods ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('pending', 'active'));
ALTER TABLE mfa_methods ADD COLUMN pending_until BIGINT;

CREATE TABLE totp_secrets (
    method_id      BIGINT  PRIMARY KEY REFERENCES mfa_methods (id) ON DELETE CASCADE,
    -- XChaCha20-Poly1305 sealed seed, bound to this method id (services/secret_box.rs).
    sealed_secret  TEXT    NOT NULL,
    algorithm      TEXT    NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
    digits         BIGINT  NOT NULL CHECK (digits IN (6, 8)),
    period         BIGINT  NOT NULL CHECK (period IN (30, 60)),
    -- The last accepted time step: a code is accepted only for a later step.
    last_used_step BIGINT
);

CREATE TABLE remembered_devices (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Keyed hash of the cookie's token; the token itself is never stored.
    token_mac    TEXT    NOT NULL UNIQUE,
    label        TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX remembered_devices_by_user ON remembered_devices (user_id);

-- Messages to send, delivered by a worker with retries (delivery: a later issue).
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    channel         TEXT    NOT NULL CHECK (channel IN ('email', 'sms', 'voice')),
    user_id         BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
