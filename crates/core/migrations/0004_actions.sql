-- Version 4: remediation actions.

CREATE TABLE actions (
    id             INTEGER PRIMARY KEY,
    reference      TEXT NOT NULL COLLATE NOCASE UNIQUE,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    owner_id       INTEGER REFERENCES people (id),
    due_date       TEXT,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'wont_do')),
    wont_do_reason TEXT NOT NULL DEFAULT '',
    -- What caused the action. Only controls exist so far; later registers add their kinds.
    source_control_id INTEGER REFERENCES controls (id),
    archived_at    TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK (status <> 'wont_do' OR wont_do_reason <> '')
);
CREATE INDEX actions_due ON actions (due_date);
CREATE INDEX actions_owner ON actions (owner_id);
CREATE INDEX actions_source_control ON actions (source_control_id);
