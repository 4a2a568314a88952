-- Version 11: incidents (with their timeline and links), tabletop scripts written or
-- duplicated by the user, and exercises run from them (attendance, notes per inject,
-- coverage of expected actions, hot-wash answers). Actions can come from either.

CREATE TABLE incidents (
    id                     INTEGER PRIMARY KEY,
    reference              TEXT NOT NULL COLLATE NOCASE UNIQUE,
    title                  TEXT NOT NULL,
    summary                TEXT NOT NULL DEFAULT '',
    -- 'YYYY-MM-DD HH:MM', as entered.
    detected_at            TEXT NOT NULL,
    reported_by_id         INTEGER REFERENCES people (id),
    severity               TEXT NOT NULL CHECK (severity IN ('sev1', 'sev2', 'sev3', 'sev4')),
    status                 TEXT NOT NULL DEFAULT 'open'
                             CHECK (status IN ('open', 'contained', 'eradicated', 'recovered', 'closed')),
    contained_at           TEXT,
    closed_at              TEXT,
    affected_data          TEXT NOT NULL DEFAULT '',
    personal_data          INTEGER NOT NULL DEFAULT 0 CHECK (personal_data IN (0, 1)),
    root_cause             TEXT NOT NULL DEFAULT '',
    lessons_learned        TEXT NOT NULL DEFAULT '',
    -- Notifications: required?, deadline, done at (for customers, regulator, insurer).
    customers_required     INTEGER NOT NULL DEFAULT 0 CHECK (customers_required IN (0, 1)),
    customers_deadline     TEXT,
    customers_done_at      TEXT,
    regulator_required     INTEGER NOT NULL DEFAULT 0 CHECK (regulator_required IN (0, 1)),
    regulator_deadline     TEXT,
    regulator_done_at      TEXT,
    insurer_required       INTEGER NOT NULL DEFAULT 0 CHECK (insurer_required IN (0, 1)),
    insurer_deadline       TEXT,
    insurer_done_at        TEXT,
    archived_at            TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    CHECK (status <> 'closed' OR (root_cause <> '' AND lessons_learned <> ''))
);

CREATE TABLE incident_timeline (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    what        TEXT NOT NULL,
    who         TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, at);

CREATE TABLE incident_systems (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    system_id   INTEGER NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, system_id)
) WITHOUT ROWID;

CREATE TABLE incident_risks (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    risk_id     INTEGER NOT NULL REFERENCES risks (id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, risk_id)
) WITHOUT ROWID;

CREATE TABLE incident_controls (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    control_id  INTEGER NOT NULL REFERENCES controls (id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, control_id)
) WITHOUT ROWID;

-- Scripts the user imported, wrote or duplicated from the built-in library (TOML source).
CREATE TABLE tabletop_scripts (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    scenario    TEXT NOT NULL,
    source      TEXT NOT NULL,
    archived_at TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE exercises (
    id             INTEGER PRIMARY KEY,
    reference      TEXT NOT NULL COLLATE NOCASE UNIQUE,
    -- The script as it was when the exercise was planned (later edits do not change it).
    script_source  TEXT NOT NULL,
    title          TEXT NOT NULL,
    planned_on     TEXT NOT NULL,
    facilitator_id INTEGER REFERENCES people (id),
    status         TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'running', 'completed')),
    started_at     TEXT,
    current_inject INTEGER NOT NULL DEFAULT 0,
    strengths      TEXT NOT NULL DEFAULT '',
    improvements   TEXT NOT NULL DEFAULT '',
    completed_at   TEXT,
    archived_at    TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE exercise_participants (
    exercise_id INTEGER NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    role        TEXT NOT NULL DEFAULT '',
    attended    INTEGER NOT NULL DEFAULT 0 CHECK (attended IN (0, 1)),
    PRIMARY KEY (exercise_id, person_id)
) WITHOUT ROWID;

CREATE TABLE exercise_notes (
    id              INTEGER PRIMARY KEY,
    exercise_id     INTEGER NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
    inject_index    INTEGER NOT NULL,
    at              TEXT NOT NULL,
    elapsed_seconds INTEGER NOT NULL,
    text            TEXT NOT NULL
);
CREATE INDEX exercise_notes_exercise ON exercise_notes (exercise_id, inject_index);

CREATE TABLE exercise_coverage (
    exercise_id  INTEGER NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
    inject_index INTEGER NOT NULL,
    action_index INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('covered', 'partly', 'missed')),
    PRIMARY KEY (exercise_id, inject_index, action_index)
) WITHOUT ROWID;

CREATE TABLE exercise_hotwash (
    exercise_id    INTEGER NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
    question_index INTEGER NOT NULL,
    answer         TEXT NOT NULL,
    PRIMARY KEY (exercise_id, question_index)
) WITHOUT ROWID;

ALTER TABLE actions ADD COLUMN source_incident_id INTEGER REFERENCES incidents (id);
ALTER TABLE actions ADD COLUMN source_exercise_id INTEGER REFERENCES exercises (id);
CREATE INDEX actions_source_incident ON actions (source_incident_id);
CREATE INDEX actions_source_exercise ON actions (source_exercise_id);
