-- The helpdesk verifies a caller by a code sent to their phone: a phone challenge
-- of its own purpose ('helpdesk'), bound to the agent's sign-in, that never signs
-- anyone in. caller_verifications.way gains 'text_code' and 'call_code'.
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt with
-- the same rows. Keep in step with the other engine's file of the same name.
CREATE TABLE phone_challenges_new (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    method_id        BIGINT  NOT NULL REFERENCES mfa_methods (id) ON DELETE CASCADE,
    purpose          TEXT    NOT NULL
        CHECK (purpose IN ('enrol', 'sign_in', 'confirm', 'helpdesk')),
    channel          TEXT    NOT NULL CHECK (channel IN ('sms', 'voice')),
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
    last_sent_at, failures, outbox_id, status, result_code, decided_at, match_number)
SELECT id, user_id, method_id, purpose, channel, voice_mode, bound_event_id, ip, user_agent,
    code_mac, call_token, created_at, expires_at, sends, last_sent_at, failures, outbox_id,
    status, result_code, decided_at, match_number FROM phone_challenges;
DROP TABLE phone_challenges;
ALTER TABLE phone_challenges_new RENAME TO phone_challenges;
CREATE INDEX phone_challenges_by_user ON phone_challenges (user_id, created_at);
