-- Version 5: policies, their approvals per version, and acknowledgements by people.

CREATE TABLE policies (
    id               INTEGER PRIMARY KEY,
    title            TEXT NOT NULL COLLATE NOCASE UNIQUE,
    -- The working version and where it stands.
    version          TEXT NOT NULL DEFAULT '0.1',
    status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'approved', 'retired')),
    owner_id         INTEGER REFERENCES people (id),
    document_link    TEXT NOT NULL DEFAULT '',
    -- The latest approval (kept while a newer version is drafted).
    approved_version TEXT,
    approved_on      TEXT,
    approver_id      INTEGER REFERENCES people (id),
    next_review_due  TEXT,
    archived_at      TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (status <> 'approved' OR approved_version = version)
);

CREATE TABLE policy_approvals (
    id              INTEGER PRIMARY KEY,
    policy_id       INTEGER NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    version         TEXT NOT NULL,
    approved_on     TEXT NOT NULL,
    approver_id     INTEGER NOT NULL REFERENCES people (id),
    next_review_due TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (policy_id, version)
);

CREATE TABLE policy_acknowledgements (
    id              INTEGER PRIMARY KEY,
    policy_id       INTEGER NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    person_id       INTEGER NOT NULL REFERENCES people (id),
    version         TEXT NOT NULL,
    acknowledged_on TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (policy_id, person_id, version)
);
CREATE INDEX policy_acknowledgements_person ON policy_acknowledgements (person_id);
