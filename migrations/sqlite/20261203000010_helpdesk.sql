-- The helpdesk: verifying a caller before helping them, and temporary access
-- passes (one-off sign-in passes an agent reads to a verified caller).
-- Keep in step with the other engine's file of the same name.

-- Every attempt to verify a caller, kept for the record. A verified row lets
-- the same agent act for the same person until valid_until.
CREATE TABLE caller_verifications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_user_id   BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject_user_id BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- How: 'app_code' (authenticator app or OATH token).
    way             TEXT    NOT NULL,
    -- The method named ("Work phone app"), as it was then.
    method_label    TEXT    NOT NULL,
    verified        BIGINT  NOT NULL CHECK (verified IN (0, 1)),
    -- Seed 002's result code of the check (23 verified, 138 wrong, 139 reused ...).
    result_code     BIGINT  NOT NULL,
    occurred_at     BIGINT  NOT NULL,
    -- When a verified row stops counting; NULL for a failed attempt.
    valid_until     BIGINT
);
CREATE INDEX caller_verifications_pair
    ON caller_verifications (agent_user_id, subject_user_id, occurred_at);

-- Temporary access passes: stored as a keyed hash only; at most one live pass
-- per person (a new one revokes the old).
CREATE TABLE access_passes (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id           BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    pass_mac          TEXT    NOT NULL UNIQUE,
    issued_by_user_id BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    issued_by         TEXT    NOT NULL,
    issued_at         BIGINT  NOT NULL,
    expires_at        BIGINT  NOT NULL,
    -- Sign-ins the pass still allows (1 for a single-use pass).
    uses_left         BIGINT  NOT NULL CHECK (uses_left >= 0),
    last_used_at      BIGINT,
    revoked_at        BIGINT
);
CREATE INDEX access_passes_user ON access_passes (user_id, expires_at);
