-- Version 6: evidence files attached to control activities and policies. The bytes live in
-- the workspace's attachment folder, named by their SHA-256; identical files are stored once.

CREATE TABLE evidence (
    id             INTEGER PRIMARY KEY,
    sha256         TEXT NOT NULL CHECK (length(sha256) = 64),
    file_name      TEXT NOT NULL,
    size           INTEGER NOT NULL,
    effective_date TEXT NOT NULL,
    expires_on     TEXT,
    added_by       INTEGER REFERENCES people (id),
    description    TEXT NOT NULL DEFAULT '',
    activity_id    INTEGER REFERENCES control_activities (id) ON DELETE CASCADE,
    policy_id      INTEGER REFERENCES policies (id) ON DELETE CASCADE,
    created_at     TEXT NOT NULL,
    CHECK ((activity_id IS NOT NULL) + (policy_id IS NOT NULL) = 1)
);
CREATE INDEX evidence_activity ON evidence (activity_id);
CREATE INDEX evidence_policy ON evidence (policy_id);
CREATE INDEX evidence_sha256 ON evidence (sha256);
