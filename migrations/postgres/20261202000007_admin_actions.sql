-- What an administrator can do to one account: disable it (sign-in refused, sessions
-- ended), give a temporary password the person must replace at the next sign-in,
-- and allow one sign-in without the second step for a while (result code 7).
-- Keep in step with the other engine's file of the same name.

-- When an administrator disabled the account; NULL while it may sign in.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
-- 1 after an administrator set the password (a reset, or a generated first one):
-- the person chooses their own before anything else.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
-- Until when the next second step may be skipped, once (cleared by the sign-in that
-- uses it, in the same statement that checks it).
ALTER TABLE users ADD COLUMN bypass_until BIGINT;

-- Rows locked to serialise a rule that spans many rows ("the last active admin stays
-- an active admin"): a transaction updates the row first, so the next one waits.
CREATE TABLE named_locks (
    name TEXT PRIMARY KEY
);
INSERT INTO named_locks (name) VALUES ('admins');

-- The policies page lists policy changes; the audit viewer filters by action.
CREATE INDEX audit_log_by_action ON audit_log (action, id);
-- The audit viewer filters by who acted.
CREATE INDEX audit_log_by_actor ON audit_log (actor_label, id);

-- An admin's decision on a fraud report (status becomes 'resolved'): 'confirmed'
-- keeps prompts blocked for the policy's time, 'dismissed' lifts the block; and the
-- admin's note.
ALTER TABLE fraud_reports ADD COLUMN outcome TEXT CHECK (outcome IN ('confirmed', 'dismissed'));
ALTER TABLE fraud_reports ADD COLUMN notes TEXT;

-- The admin dashboard counts sign-ins of the last day, week and month.
CREATE INDEX sign_in_events_by_time ON sign_in_events (occurred_at);
