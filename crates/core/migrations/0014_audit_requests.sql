-- Version 14: the auditor's request list (the "provided by client" list of fieldwork): each
-- request with the auditor's own id, what it asks for, the criteria and controls it refers
-- to, when it is due, who answers it and where it stands.

CREATE TABLE audit_requests (
    id          INTEGER PRIMARY KEY,
    reference   TEXT NOT NULL COLLATE NOCASE UNIQUE,
    description TEXT NOT NULL,
    criteria    TEXT NOT NULL DEFAULT '',
    due_on      TEXT,
    owner_id    INTEGER REFERENCES people (id),
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'provided', 'accepted', 'follow_up')),
    notes       TEXT NOT NULL DEFAULT '',
    archived_at TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE audit_request_controls (
    request_id INTEGER NOT NULL REFERENCES audit_requests (id) ON DELETE CASCADE,
    control_id INTEGER NOT NULL REFERENCES controls (id),
    PRIMARY KEY (request_id, control_id)
) WITHOUT ROWID;
CREATE INDEX audit_request_controls_control ON audit_request_controls (control_id);
