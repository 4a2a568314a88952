-- Version 10: the operational registers: systems (with certificates), data types and their
-- retention schedule and disposals, access reviews (with the account differences found),
-- security awareness courses and completions, leavers' deprovisioning, and changes.

CREATE TABLE systems (
    id                     INTEGER PRIMARY KEY,
    name                   TEXT NOT NULL COLLATE NOCASE UNIQUE,
    description            TEXT NOT NULL DEFAULT '',
    owner_id               INTEGER REFERENCES people (id),
    criticality            TEXT NOT NULL CHECK (criticality IN ('critical', 'high', 'medium', 'low')),
    in_scope               INTEGER NOT NULL DEFAULT 1 CHECK (in_scope IN (0, 1)),
    holds_customer_data    INTEGER NOT NULL DEFAULT 0 CHECK (holds_customer_data IN (0, 1)),
    mfa_enforced           INTEGER NOT NULL DEFAULT 0 CHECK (mfa_enforced IN (0, 1)),
    role_based_access      INTEGER NOT NULL DEFAULT 0 CHECK (role_based_access IN (0, 1)),
    shared_accounts        INTEGER NOT NULL DEFAULT 0 CHECK (shared_accounts IN (0, 1)),
    shared_accounts_reason TEXT NOT NULL DEFAULT '',
    encryption_at_rest     INTEGER NOT NULL DEFAULT 0 CHECK (encryption_at_rest IN (0, 1)),
    tls_in_transit         INTEGER NOT NULL DEFAULT 0 CHECK (tls_in_transit IN (0, 1)),
    tls_min_version        TEXT NOT NULL DEFAULT '' CHECK (tls_min_version IN ('', '1.0', '1.1', '1.2', '1.3')),
    logs_forwarded         INTEGER NOT NULL DEFAULT 0 CHECK (logs_forwarded IN (0, 1)),
    alerting               INTEGER NOT NULL DEFAULT 0 CHECK (alerting IN (0, 1)),
    archived_at            TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    CHECK (shared_accounts = 0 OR shared_accounts_reason <> '')
);

CREATE TABLE system_certificates (
    id         INTEGER PRIMARY KEY,
    system_id  INTEGER NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    expires_on TEXT NOT NULL
);
CREATE INDEX system_certificates_system ON system_certificates (system_id);

-- Dated log reviews of a system (evidence attaches to them).
CREATE TABLE log_reviews (
    id              INTEGER PRIMARY KEY,
    system_id       INTEGER NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    performed_on    TEXT NOT NULL,
    performed_by_id INTEGER REFERENCES people (id),
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL
);
CREATE INDEX log_reviews_system ON log_reviews (system_id, performed_on);

CREATE TABLE data_types (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL COLLATE NOCASE UNIQUE,
    description      TEXT NOT NULL DEFAULT '',
    -- days / months / years, or after_customer: kept while the customer is active + N days.
    retention_unit   TEXT NOT NULL CHECK (retention_unit IN ('days', 'months', 'years', 'after_customer')),
    retention_value  INTEGER NOT NULL CHECK (retention_value >= 0),
    legal_basis      TEXT NOT NULL DEFAULT '',
    disposal_method  TEXT NOT NULL DEFAULT '',
    disposal_cadence TEXT NOT NULL DEFAULT 'annual'
                       CHECK (disposal_cadence IN ('monthly', 'quarterly', 'semiannual', 'annual')),
    archived_at      TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

-- Which systems hold which data types (shown on both).
CREATE TABLE system_data_types (
    system_id    INTEGER NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    data_type_id INTEGER NOT NULL REFERENCES data_types (id) ON DELETE CASCADE,
    PRIMARY KEY (system_id, data_type_id)
) WITHOUT ROWID;
CREATE INDEX system_data_types_type ON system_data_types (data_type_id);

CREATE TABLE disposals (
    id              INTEGER PRIMARY KEY,
    data_type_id    INTEGER NOT NULL REFERENCES data_types (id) ON DELETE CASCADE,
    performed_on    TEXT NOT NULL,
    performed_by_id INTEGER REFERENCES people (id),
    what            TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX disposals_type ON disposals (data_type_id, performed_on);

CREATE TABLE access_reviews (
    id               INTEGER PRIMARY KEY,
    system_id        INTEGER NOT NULL REFERENCES systems (id),
    reviewer_id      INTEGER REFERENCES people (id),
    performed_on     TEXT NOT NULL,
    period_start     TEXT,
    period_end       TEXT,
    accounts_reviewed INTEGER NOT NULL DEFAULT 0 CHECK (accounts_reviewed >= 0),
    accounts_changed  INTEGER NOT NULL DEFAULT 0 CHECK (accounts_changed >= 0),
    findings         TEXT NOT NULL DEFAULT '',
    archived_at      TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (period_start IS NULL OR period_end IS NULL OR period_start <= period_end)
);
CREATE INDEX access_reviews_system ON access_reviews (system_id, performed_on);

-- The differences between two exported access lists, kept with the review they support.
CREATE TABLE access_review_changes (
    review_id INTEGER NOT NULL REFERENCES access_reviews (id) ON DELETE CASCADE,
    username  TEXT NOT NULL,
    change    TEXT NOT NULL CHECK (change IN ('added', 'removed', 'role_changed')),
    old_role  TEXT NOT NULL DEFAULT '',
    new_role  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (review_id, username)
) WITHOUT ROWID;

CREATE TABLE courses (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL COLLATE NOCASE UNIQUE,
    description   TEXT NOT NULL DEFAULT '',
    -- Days a completion stays valid (365: annual).
    validity_days INTEGER NOT NULL DEFAULT 365 CHECK (validity_days > 0),
    -- Everyone must take it (security awareness); otherwise it is tracked but not required.
    required      INTEGER NOT NULL DEFAULT 1 CHECK (required IN (0, 1)),
    archived_at   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE training_completions (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people (id),
    course_id    INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    completed_on TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (person_id, course_id, completed_on)
);
CREATE INDEX training_completions_course ON training_completions (course_id, person_id, completed_on);

-- For each leaver and system: when their access was removed, or that they had none.
CREATE TABLE deprovisioning (
    person_id  INTEGER NOT NULL REFERENCES people (id),
    system_id  INTEGER NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    removed_on TEXT,
    no_access  INTEGER NOT NULL DEFAULT 0 CHECK (no_access IN (0, 1)),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (person_id, system_id),
    CHECK ((removed_on IS NOT NULL) + no_access = 1)
) WITHOUT ROWID;

CREATE TABLE changes (
    id            INTEGER PRIMARY KEY,
    reference     TEXT NOT NULL COLLATE NOCASE UNIQUE,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    system_id     INTEGER REFERENCES systems (id),
    author_id     INTEGER REFERENCES people (id),
    approver_id   INTEGER REFERENCES people (id),
    -- 'YYYY-MM-DD HH:MM' (or a date alone).
    approved_at   TEXT,
    tested        INTEGER NOT NULL DEFAULT 0 CHECK (tested IN (0, 1)),
    test_notes    TEXT NOT NULL DEFAULT '',
    deployed_at   TEXT,
    rollback_plan TEXT NOT NULL DEFAULT '',
    emergency     INTEGER NOT NULL DEFAULT 0 CHECK (emergency IN (0, 1)),
    archived_at   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK (approver_id IS NULL OR author_id IS NULL OR approver_id <> author_id)
);
CREATE INDEX changes_system ON changes (system_id);
CREATE INDEX changes_deployed ON changes (deployed_at);

-- Evidence gains four more targets; the table is rebuilt again for its CHECK (see 0009).
CREATE TABLE evidence_v10 (
    id                     INTEGER PRIMARY KEY,
    sha256                 TEXT NOT NULL CHECK (length(sha256) = 64),
    file_name              TEXT NOT NULL,
    size                   INTEGER NOT NULL,
    effective_date         TEXT NOT NULL,
    expires_on             TEXT,
    added_by               INTEGER REFERENCES people (id),
    description            TEXT NOT NULL DEFAULT '',
    activity_id            INTEGER REFERENCES control_activities (id) ON DELETE CASCADE,
    policy_id              INTEGER REFERENCES policies (id) ON DELETE CASCADE,
    vendor_assessment_id   INTEGER REFERENCES vendor_assessments (id) ON DELETE CASCADE,
    soc2_report_id         INTEGER REFERENCES soc2_reports (id) ON DELETE CASCADE,
    access_review_id       INTEGER REFERENCES access_reviews (id) ON DELETE CASCADE,
    log_review_id          INTEGER REFERENCES log_reviews (id) ON DELETE CASCADE,
    training_completion_id INTEGER REFERENCES training_completions (id) ON DELETE CASCADE,
    disposal_id            INTEGER REFERENCES disposals (id) ON DELETE CASCADE,
    created_at             TEXT NOT NULL,
    CHECK ((activity_id IS NOT NULL) + (policy_id IS NOT NULL) + (vendor_assessment_id IS NOT NULL)
           + (soc2_report_id IS NOT NULL) + (access_review_id IS NOT NULL) + (log_review_id IS NOT NULL)
           + (training_completion_id IS NOT NULL) + (disposal_id IS NOT NULL) = 1)
);
INSERT INTO evidence_v10 (id, sha256, file_name, size, effective_date, expires_on, added_by, description, activity_id,
                          policy_id, vendor_assessment_id, soc2_report_id, created_at)
    SELECT id, sha256, file_name, size, effective_date, expires_on, added_by, description, activity_id, policy_id,
           vendor_assessment_id, soc2_report_id, created_at
    FROM evidence;
DROP TABLE evidence;
ALTER TABLE evidence_v10 RENAME TO evidence;
CREATE INDEX evidence_activity ON evidence (activity_id);
CREATE INDEX evidence_policy ON evidence (policy_id);
CREATE INDEX evidence_sha256 ON evidence (sha256);
CREATE INDEX evidence_vendor_assessment ON evidence (vendor_assessment_id);
CREATE INDEX evidence_soc2_report ON evidence (soc2_report_id);
CREATE INDEX evidence_access_review ON evidence (access_review_id);
CREATE INDEX evidence_log_review ON evidence (log_review_id);
CREATE INDEX evidence_training_completion ON evidence (training_completion_id);
CREATE INDEX evidence_disposal ON evidence (disposal_id);
