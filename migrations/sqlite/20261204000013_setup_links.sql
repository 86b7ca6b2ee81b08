-- E-mailed set-up links: an administrator creates an account (or has one from an
-- import) and the person chooses their own first password from a link, instead of
-- being read a generated one. Only a keyed hash of the link's token is kept; a
-- link works once, until it expires, and a new link revokes the older ones.
-- Keep in step with the other engine's file of the same name.
CREATE TABLE setup_links (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_mac       TEXT    NOT NULL UNIQUE,
    sent_by_user_id BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    created_at      BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL,
    used_at         BIGINT,
    revoked_at      BIGINT
);
CREATE INDEX setup_links_user ON setup_links (user_id, expires_at);

-- An e-mail that carries a secret (the set-up link) is sealed in the outbox like
-- texts and calls, and blanked once sent.
ALTER TABLE outbox ADD COLUMN sealed BIGINT NOT NULL DEFAULT 0;
