-- Readyroom workspace schema, version 1: organization profile and people.
-- Landed migrations are never edited; add a new numbered file instead.

CREATE TABLE organization_profile (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    name                  TEXT NOT NULL,
    system_description    TEXT NOT NULL DEFAULT '',
    scope_availability    INTEGER NOT NULL DEFAULT 0 CHECK (scope_availability IN (0, 1)),
    scope_confidentiality INTEGER NOT NULL DEFAULT 0 CHECK (scope_confidentiality IN (0, 1)),
    scope_processing_integrity INTEGER NOT NULL DEFAULT 0 CHECK (scope_processing_integrity IN (0, 1)),
    scope_privacy         INTEGER NOT NULL DEFAULT 0 CHECK (scope_privacy IN (0, 1)),
    audit_type            TEXT NOT NULL DEFAULT 'type1' CHECK (audit_type IN ('type1', 'type2')),
    window_start          TEXT,
    window_end            TEXT,
    auditor               TEXT NOT NULL DEFAULT '',
    target_report_date    TEXT,
    updated_at            TEXT NOT NULL
);

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL COLLATE NOCASE UNIQUE,
    role        TEXT NOT NULL DEFAULT '',
    start_date  TEXT,
    end_date    TEXT,
    archived_at TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);

CREATE INDEX people_name ON people (name COLLATE NOCASE);
