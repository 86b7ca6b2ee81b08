-- Bulk import of people from CSV: one job per uploaded file, checked when it is
-- uploaded (the dry run), then run a batch at a time by the import worker.
-- Keep in step with the other engine's file of the same name.

CREATE TABLE import_jobs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name       TEXT    NOT NULL,
    uploaded_by     TEXT    NOT NULL,
    uploaded_at     BIGINT  NOT NULL,
    -- 'rejected': the file itself could not be read (problem says why);
    -- 'checked': dry run done, waiting for an admin to run it;
    -- 'running': the worker is importing; 'finished'.
    status          TEXT    NOT NULL
        CHECK (status IN ('rejected', 'checked', 'running', 'finished')),
    problem         TEXT,
    total_rows      BIGINT  NOT NULL DEFAULT 0,
    invalid_rows    BIGINT  NOT NULL DEFAULT 0,
    -- The admin who ran it: the worker records its changes under their name.
    started_by_id   BIGINT  REFERENCES users (id),
    started_by      TEXT,
    started_at      BIGINT,
    finished_at     BIGINT,
    processed_rows  BIGINT  NOT NULL DEFAULT 0,
    created_count   BIGINT  NOT NULL DEFAULT 0,
    updated_count   BIGINT  NOT NULL DEFAULT 0,
    unchanged_count BIGINT  NOT NULL DEFAULT 0,
    failed_count    BIGINT  NOT NULL DEFAULT 0,
    -- The worker holding a running job, and until when: a worker that stops (a
    -- restart) leaves the job to the next one once the lease runs out.
    lease_owner     TEXT,
    lease_until     BIGINT
);
CREATE INDEX import_jobs_running ON import_jobs (status, id);

-- The file's rows as read, what the dry run found, and what the run did.
CREATE TABLE import_rows (
    job_id       BIGINT  NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    line         BIGINT  NOT NULL,
    username     TEXT    NOT NULL,
    display_name TEXT    NOT NULL,
    email        TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    mfa_state    TEXT    NOT NULL,
    mobile       TEXT    NOT NULL,
    office       TEXT    NOT NULL,
    -- Dry run: why the row cannot be imported (NULL when it can), else the plan.
    problem      TEXT,
    planned      TEXT    CHECK (planned IN ('create', 'update', 'unchanged')),
    -- Run: what happened, and the changes made or the reason it failed.
    outcome      TEXT    CHECK (outcome IN ('created', 'updated', 'unchanged', 'failed')),
    detail       TEXT,
    PRIMARY KEY (job_id, line)
);
