-- Version 3: change history for every register, and the controls register.

CREATE TABLE history (
    id        INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('create', 'update', 'archive', 'restore')),
    at        TEXT NOT NULL,
    changes   TEXT NOT NULL -- JSON array of {field, old, new}
);
CREATE INDEX history_by_record ON history (entity, entity_id, id);

CREATE TABLE controls (
    id               INTEGER PRIMARY KEY,
    reference        TEXT NOT NULL COLLATE NOCASE UNIQUE,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    owner_id         INTEGER REFERENCES people (id),
    status           TEXT NOT NULL DEFAULT 'not_started'
                     CHECK (status IN ('not_started', 'in_progress', 'implemented', 'not_applicable')),
    na_justification TEXT NOT NULL DEFAULT '',
    cadence          TEXT NOT NULL CHECK (cadence IN ('continuous', 'monthly', 'quarterly', 'annual', 'per_event')),
    archived_at      TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (status <> 'not_applicable' OR na_justification <> '')
);
CREATE INDEX controls_owner ON controls (owner_id);

CREATE TABLE control_criteria (
    control_id   INTEGER NOT NULL REFERENCES controls (id) ON DELETE CASCADE,
    criterion_id TEXT NOT NULL REFERENCES criteria (id),
    PRIMARY KEY (control_id, criterion_id)
) WITHOUT ROWID;
CREATE INDEX control_criteria_by_criterion ON control_criteria (criterion_id, control_id);

CREATE TABLE control_activities (
    id           INTEGER PRIMARY KEY,
    control_id   INTEGER NOT NULL REFERENCES controls (id) ON DELETE CASCADE,
    performed_on TEXT NOT NULL,
    performed_by INTEGER REFERENCES people (id),
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);
CREATE INDEX control_activities_by_control ON control_activities (control_id, performed_on);
