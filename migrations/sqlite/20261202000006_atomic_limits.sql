-- Limits that hold under parallel requests and across portal instances: counters
-- claimed with one upsert per attempt, kept in the database rather than in one
-- process's memory; and the owner's notice of a lockout.
-- Keep in step with the other engine's file of the same name.

-- One fixed window per bucket ("sign_in:ip:192.0.2.1", "phone:user:7", ...). An
-- attempt adds one hit in the same statement that tells whether the limit is passed.
CREATE TABLE rate_limits (
    bucket        TEXT    PRIMARY KEY,
    window_start  BIGINT  NOT NULL,
    hits          BIGINT  NOT NULL,
    -- When the window is over; the minute chores forget rows past it.
    expires_at    BIGINT  NOT NULL
);
CREATE INDEX rate_limits_by_expiry ON rate_limits (expires_at);

-- When the account was last locked by failed attempts: "My account" tells the owner
-- when that happened after their previous successful sign-in.
ALTER TABLE users ADD COLUMN last_locked_at BIGINT;

-- The hourly phone limits are `rate_limits` buckets now; the per-send rows they
-- were counted from are no longer needed.
DROP TABLE phone_sends;

-- Calls that prove intent: 'match' asks for the two-digit number the sign-in page
-- shows (kept in match_number), then #. SQLite cannot change a CHECK constraint in
-- place, so the table is rebuilt with the same rows.
CREATE TABLE phone_challenges_new (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    method_id        BIGINT  NOT NULL REFERENCES mfa_methods (id) ON DELETE CASCADE,
    purpose          TEXT    NOT NULL CHECK (purpose IN ('enrol', 'sign_in', 'confirm')),
    channel          TEXT    NOT NULL CHECK (channel IN ('sms', 'voice')),
    -- Calls: 'match' (type the number shown, then #), 'press' (1# approves) or
    -- 'code' (read out); 0# reports fraud in the first two.
    voice_mode       TEXT    CHECK (voice_mode IN ('match', 'press', 'code')),
    bound_event_id   BIGINT  NOT NULL,
    ip               TEXT    NOT NULL,
    user_agent       TEXT    NOT NULL,
    code_mac         TEXT,
    call_token       TEXT    UNIQUE,
    created_at       BIGINT  NOT NULL,
    expires_at       BIGINT  NOT NULL,
    sends            BIGINT  NOT NULL DEFAULT 1,
    last_sent_at     BIGINT  NOT NULL,
    failures         BIGINT  NOT NULL DEFAULT 0,
    outbox_id        BIGINT,
    status           TEXT    NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'approved', 'denied', 'fraud', 'unreachable', 'used', 'dead')),
    result_code      BIGINT,
    decided_at       BIGINT,
    match_number     BIGINT
);
INSERT INTO phone_challenges_new (id, user_id, method_id, purpose, channel, voice_mode,
    bound_event_id, ip, user_agent, code_mac, call_token, created_at, expires_at, sends,
    last_sent_at, failures, outbox_id, status, result_code, decided_at)
SELECT id, user_id, method_id, purpose, channel, voice_mode, bound_event_id, ip, user_agent,
    code_mac, call_token, created_at, expires_at, sends, last_sent_at, failures, outbox_id,
    status, result_code, decided_at FROM phone_challenges;
DROP TABLE phone_challenges;
ALTER TABLE phone_challenges_new RENAME TO phone_challenges;
CREATE INDEX phone_challenges_by_user ON phone_challenges (user_id, created_at);

-- Where a person is signed in, for "Where you're signed in" and "sign out
-- everywhere". The session itself (and its secret id) stays in the session store;
-- this row only describes it. A session of an older epoch than the user's is over.
CREATE TABLE user_sessions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    epoch         BIGINT  NOT NULL,
    started_at    BIGINT  NOT NULL,
    last_seen_at  BIGINT  NOT NULL,
    ip            TEXT    NOT NULL,
    user_agent    TEXT    NOT NULL,
    ended_at      BIGINT
);
CREATE INDEX user_sessions_by_user ON user_sessions (user_id, last_seen_at);
