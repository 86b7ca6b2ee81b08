-- OATH hardware tokens (key fobs showing TOTP or HOTP codes): imported by admins
-- from the vendor's seed file, kept sealed while unassigned, and assigned to a
-- person as a method whose seed then lives in totp_secrets like an app's.
-- Keep in step with the other engine's file of the same name.

-- 'hotp': codes follow a counter instead of the clock (event-based tokens).
ALTER TABLE totp_secrets ADD COLUMN mode TEXT NOT NULL DEFAULT 'totp'
    CHECK (mode IN ('totp', 'hotp'));
-- HOTP: the lowest counter the next code may have (one past the last accepted).
ALTER TABLE totp_secrets ADD COLUMN counter BIGINT;

CREATE TABLE hardware_tokens (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    serial        TEXT    NOT NULL UNIQUE,
    mode          TEXT    NOT NULL CHECK (mode IN ('totp', 'hotp')),
    algorithm     TEXT    NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
    digits        BIGINT  NOT NULL CHECK (digits IN (6, 8)),
    period        BIGINT  NOT NULL CHECK (period IN (30, 60)),
    -- HOTP: the token's counter as the vendor's file gives it.
    counter       BIGINT  NOT NULL DEFAULT 0,
    -- XChaCha20-Poly1305 sealed seed, bound to the serial (services/secret_box.rs).
    sealed_secret TEXT    NOT NULL,
    imported_at   BIGINT  NOT NULL,
    imported_by   TEXT    NOT NULL,
    -- The person's method once assigned; NULL while the token is unassigned (and
    -- again once that method is removed).
    method_id     BIGINT  UNIQUE REFERENCES mfa_methods (id) ON DELETE SET NULL,
    assigned_at   BIGINT
);

-- What a token file upload did, shown on the tokens page after the upload.
CREATE TABLE token_imports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    imported_at   BIGINT  NOT NULL,
    imported_by   TEXT    NOT NULL,
    file_name     TEXT    NOT NULL,
    imported      BIGINT  NOT NULL,
    already_known BIGINT  NOT NULL,
    -- One line per refused row ("line 4: ..."), or why the file was refused.
    problems      TEXT    NOT NULL
);
