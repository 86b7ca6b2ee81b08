-- Foundation schema. Times are UTC unix seconds (BIGINT) so the same queries run on
-- SQLite and PostgreSQL through sqlx's Any driver. Keep in step with
-- migrations/postgres/20261122000001_foundation.sql.

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    username            TEXT    NOT NULL UNIQUE,
    display_name        TEXT    NOT NULL,
    email               TEXT    NOT NULL,
    password_hash       TEXT    NOT NULL,
    role                TEXT    NOT NULL CHECK (role IN ('user', 'helpdesk', 'admin')),
    mfa_state           TEXT    NOT NULL CHECK (mfa_state IN ('disabled', 'enabled', 'enforced')),
    failed_sign_ins     BIGINT  NOT NULL DEFAULT 0,
    lockout_count       BIGINT  NOT NULL DEFAULT 0,
    locked_until        BIGINT,
    blocked_at          BIGINT,
    blocked_reason      TEXT,
    created_at          BIGINT  NOT NULL,
    password_changed_at BIGINT  NOT NULL
);

-- Registered second factors; each kind keeps its details in its own table.
CREATE TABLE mfa_methods (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX mfa_methods_by_user ON mfa_methods (user_id);

CREATE TABLE sign_in_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at     BIGINT  NOT NULL,
    user_id         BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    username_typed  TEXT    NOT NULL,
    ip              TEXT    NOT NULL,
    user_agent      TEXT    NOT NULL,
    auth_type       TEXT    NOT NULL,
    succeeded       BIGINT  NOT NULL CHECK (succeeded IN (0, 1)),
    result_code     BIGINT  NOT NULL
);
CREATE INDEX sign_in_events_by_user ON sign_in_events (user_id, id);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at     BIGINT  NOT NULL,
    actor_user_id   BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    actor_label     TEXT    NOT NULL,
    subject_user_id BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    action          TEXT    NOT NULL,
    detail          TEXT    NOT NULL,
    ip              TEXT
);
CREATE INDEX audit_log_by_subject ON audit_log (subject_user_id, id);

-- Browser sessions, in the layout tower-sessions-sqlx-store's SqliteStore reads.
CREATE TABLE sessions (
    id          TEXT    PRIMARY KEY NOT NULL,
    data        BLOB    NOT NULL,
    expiry_date INTEGER NOT NULL
);
