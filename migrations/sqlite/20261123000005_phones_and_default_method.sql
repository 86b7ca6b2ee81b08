-- Phones as sign-in methods (SMS and calls), their one-time codes and calls, the
-- sends that abuse limits count, the default method with travel windows, and the
-- policy settings an admin changes at run time.
-- Keep in step with the other engine's file of the same name.

-- A phone is a method (mfa_methods.kind = 'phone'); its number lives here. Office
-- and alternate phones take calls only. A number set by an admin or an import is
-- "set by your organisation".
CREATE TABLE phone_numbers (
    method_id   BIGINT  PRIMARY KEY REFERENCES mfa_methods (id) ON DELETE CASCADE,
    user_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    phone_type  TEXT    NOT NULL CHECK (phone_type IN ('mobile', 'alternate', 'office')),
    -- E.164, e.g. +31612345678.
    e164        TEXT    NOT NULL,
    -- As shown, e.g. +31 6 12345678: formatted once, since reparsing numbers of many
    -- countries is slow (see docs/benchmarks.md).
    international TEXT  NOT NULL,
    -- ISO 3166 region of the number, e.g. NL (for the allowlist and the limits).
    region      TEXT    NOT NULL,
    set_by_org  BIGINT  NOT NULL DEFAULT 0 CHECK (set_by_org IN (0, 1))
);
CREATE INDEX phone_numbers_by_user ON phone_numbers (user_id, phone_type);

-- One code or call, bound to the sign-in (or signed-in session) that asked for it
-- through the sign-in event that started it.
CREATE TABLE phone_challenges (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    method_id        BIGINT  NOT NULL REFERENCES mfa_methods (id) ON DELETE CASCADE,
    purpose          TEXT    NOT NULL CHECK (purpose IN ('enrol', 'sign_in', 'confirm')),
    channel          TEXT    NOT NULL CHECK (channel IN ('sms', 'voice')),
    -- Calls: 'press' (press # to approve, 0# to report fraud) or 'code' (read out).
    voice_mode       TEXT    CHECK (voice_mode IN ('press', 'code')),
    bound_event_id   BIGINT  NOT NULL,
    -- Who asked, for the sign-in events a call's answer records later.
    ip               TEXT    NOT NULL,
    user_agent       TEXT    NOT NULL,
    -- Keyed hash of the code with the challenge id; never the code itself.
    code_mac         TEXT,
    -- Random token naming the call in the gateway's webhooks and on /dev/phone.
    call_token       TEXT    UNIQUE,
    created_at       BIGINT  NOT NULL,
    expires_at       BIGINT  NOT NULL,
    sends            BIGINT  NOT NULL DEFAULT 1,
    last_sent_at     BIGINT  NOT NULL,
    failures         BIGINT  NOT NULL DEFAULT 0,
    -- The outbox message that carries the latest code or call.
    outbox_id        BIGINT,
    status           TEXT    NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'approved', 'denied', 'fraud', 'unreachable', 'used', 'dead')),
    result_code      BIGINT,
    decided_at       BIGINT
);
CREATE INDEX phone_challenges_by_user ON phone_challenges (user_id, created_at);

-- Every SMS or call the portal asked for, counted by the hourly abuse limits.
CREATE TABLE phone_sends (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    sent_at   BIGINT  NOT NULL,
    e164      TEXT    NOT NULL,
    region    TEXT    NOT NULL,
    user_id   BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    ip        TEXT    NOT NULL,
    channel   TEXT    NOT NULL CHECK (channel IN ('sms', 'voice'))
);
CREATE INDEX phone_sends_by_number ON phone_sends (e164, sent_at);
CREATE INDEX phone_sends_by_user ON phone_sends (user_id, sent_at);
CREATE INDEX phone_sends_by_ip ON phone_sends (ip, sent_at);
CREATE INDEX phone_sends_by_region ON phone_sends (region, sent_at);

-- The development phone provider's inbox (/dev/phone, dev mode only).
CREATE TABLE dev_phone_messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL CHECK (kind IN ('sms', 'call')),
    to_number   TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    call_token  TEXT,
    created_at  BIGINT  NOT NULL,
    answer      TEXT
);

-- The method sign-in starts with: 'app_notification', 'app_code', 'phone_call', 'sms'.
ALTER TABLE users ADD COLUMN default_method TEXT;

-- Trips: while a window is in effect its method is the default. Times are UTC
-- seconds, end exclusive.
CREATE TABLE travel_windows (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    starts_at     BIGINT  NOT NULL,
    ends_at       BIGINT  NOT NULL,
    method        TEXT    NOT NULL,
    note          TEXT    NOT NULL DEFAULT '',
    created_at    BIGINT  NOT NULL,
    cancelled_at  BIGINT,
    CHECK (ends_at > starts_at)
);
CREATE INDEX travel_windows_by_user ON travel_windows (user_id, ends_at);

-- Policy an admin changes at run time (admin UI: a later issue; CLI: `policy set`).
CREATE TABLE policy_settings (
    key         TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL
);
