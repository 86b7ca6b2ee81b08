-- Sign-in history pages, fraud reports, and ending a user's other sessions.
-- Keep in step with the other engine's file of the same name.

-- History pages walk (user, time, id) newest first with a keyset cursor; the second
-- index serves the "successful / not successful" filter without scanning the rest.
CREATE INDEX sign_in_events_history ON sign_in_events (user_id, occurred_at, id);
CREATE INDEX sign_in_events_history_by_outcome
    ON sign_in_events (user_id, succeeded, occurred_at, id);
DROP INDEX sign_in_events_by_user;

-- "This wasn't me": from a history row, a phone call (0#) or a push prompt.
CREATE TABLE fraud_reports (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source           TEXT    NOT NULL CHECK (source IN ('history', 'call', 'push')),
    sign_in_event_id BIGINT  REFERENCES sign_in_events (id) ON DELETE SET NULL,
    -- The call or push challenge it concerns, for the flows that have one.
    challenge_id     TEXT,
    reported_at      BIGINT  NOT NULL,
    ip               TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    -- When the reporter ran "secure my account" from this report.
    secured_at       BIGINT,
    resolved_at      BIGINT,
    resolved_by      BIGINT  REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX fraud_reports_by_status ON fraud_reports (status, reported_at);
CREATE INDEX fraud_reports_by_user ON fraud_reports (user_id, reported_at);
-- One report per event: reporting twice finds the first.
CREATE UNIQUE INDEX fraud_reports_by_event ON fraud_reports (sign_in_event_id);

-- Sessions carry the epoch they started in; raising it ends every other session.
ALTER TABLE users ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;
