-- Version 9: vendors, their assessments and SOC 2 report worksheets; evidence can also be
-- attached to a vendor assessment or a SOC 2 report.

CREATE TABLE vendors (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL COLLATE NOCASE UNIQUE,
    service             TEXT NOT NULL DEFAULT '',
    website             TEXT NOT NULL DEFAULT '',
    criticality         TEXT NOT NULL CHECK (criticality IN ('critical', 'high', 'medium', 'low')),
    data_access         TEXT NOT NULL DEFAULT 'none'
                          CHECK (data_access IN ('customer_data', 'personal_data', 'internal_only', 'none')),
    -- Free text until the systems register exists.
    systems             TEXT NOT NULL DEFAULT '',
    owner_id            INTEGER REFERENCES people (id),
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('prospective', 'active', 'offboarded')),
    offboarded_on       TEXT,
    contract_start      TEXT,
    contract_end        TEXT,
    security_clause     INTEGER NOT NULL DEFAULT 0 CHECK (security_clause IN (0, 1)),
    breach_clause       INTEGER NOT NULL DEFAULT 0 CHECK (breach_clause IN (0, 1)),
    breach_notice_hours INTEGER CHECK (breach_notice_hours > 0),
    dpa_signed          INTEGER NOT NULL DEFAULT 0 CHECK (dpa_signed IN (0, 1)),
    -- An assessment done before the workspace existed (or imported); recorded assessments
    -- count too, and the later of the two is the last assessment.
    last_assessed_on    TEXT,
    archived_at         TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK (status <> 'offboarded' OR offboarded_on IS NOT NULL),
    CHECK (contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start)
);
CREATE INDEX vendors_owner ON vendors (owner_id);

CREATE TABLE vendor_assessments (
    id              INTEGER PRIMARY KEY,
    vendor_id       INTEGER NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
    performed_on    TEXT NOT NULL,
    performed_by_id INTEGER REFERENCES people (id),
    method          TEXT NOT NULL CHECK (method IN ('soc2_review', 'questionnaire', 'other')),
    outcome         TEXT NOT NULL CHECK (outcome IN ('approved', 'approved_with_conditions', 'rejected')),
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL
);
CREATE INDEX vendor_assessments_vendor ON vendor_assessments (vendor_id, performed_on);

-- A SOC 2 report received from a vendor, as the worksheet records it.
CREATE TABLE soc2_reports (
    id                  INTEGER PRIMARY KEY,
    vendor_id           INTEGER NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
    report_type         TEXT NOT NULL CHECK (report_type IN ('type1', 'type2')),
    -- Type II only; a Type I report is as of one date, kept in period_end.
    period_start        TEXT,
    period_end          TEXT NOT NULL,
    auditor             TEXT NOT NULL DEFAULT '',
    opinion             TEXT NOT NULL CHECK (opinion IN ('unqualified', 'qualified', 'adverse', 'disclaimer')),
    bridge_letter_on    TEXT,
    bridge_covers_until TEXT,
    notes               TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK (report_type = 'type2' OR period_start IS NULL),
    CHECK (period_start IS NULL OR period_start <= period_end)
);
CREATE INDEX soc2_reports_vendor ON soc2_reports (vendor_id, period_end);

CREATE TABLE soc2_exceptions (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES soc2_reports (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    text      TEXT NOT NULL,
    relevant  INTEGER NOT NULL CHECK (relevant IN (0, 1))
);
CREATE INDEX soc2_exceptions_report ON soc2_exceptions (report_id);

CREATE TABLE soc2_subservices (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES soc2_reports (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    method    TEXT NOT NULL CHECK (method IN ('carve_out', 'inclusive'))
);
CREATE INDEX soc2_subservices_report ON soc2_subservices (report_id);

-- Complementary user entity controls: what the vendor expects us to do. Each should be
-- covered by one of our controls; an unlinked one is a gap.
CREATE TABLE soc2_cuecs (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES soc2_reports (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    control_id INTEGER REFERENCES controls (id)
);
CREATE INDEX soc2_cuecs_report ON soc2_cuecs (report_id);
CREATE INDEX soc2_cuecs_control ON soc2_cuecs (control_id);

-- Evidence gains two targets. SQLite cannot change a CHECK in place, so the table is rebuilt
-- (the documented 12-step way: nothing references evidence, so a copy and rename is enough).
CREATE TABLE evidence_v9 (
    id                   INTEGER PRIMARY KEY,
    sha256               TEXT NOT NULL CHECK (length(sha256) = 64),
    file_name            TEXT NOT NULL,
    size                 INTEGER NOT NULL,
    effective_date       TEXT NOT NULL,
    expires_on           TEXT,
    added_by             INTEGER REFERENCES people (id),
    description          TEXT NOT NULL DEFAULT '',
    activity_id          INTEGER REFERENCES control_activities (id) ON DELETE CASCADE,
    policy_id            INTEGER REFERENCES policies (id) ON DELETE CASCADE,
    vendor_assessment_id INTEGER REFERENCES vendor_assessments (id) ON DELETE CASCADE,
    soc2_report_id       INTEGER REFERENCES soc2_reports (id) ON DELETE CASCADE,
    created_at           TEXT NOT NULL,
    CHECK ((activity_id IS NOT NULL) + (policy_id IS NOT NULL) + (vendor_assessment_id IS NOT NULL)
           + (soc2_report_id IS NOT NULL) = 1)
);
INSERT INTO evidence_v9 (id, sha256, file_name, size, effective_date, expires_on, added_by, description, activity_id,
                         policy_id, created_at)
    SELECT id, sha256, file_name, size, effective_date, expires_on, added_by, description, activity_id, policy_id,
           created_at
    FROM evidence;
DROP TABLE evidence;
ALTER TABLE evidence_v9 RENAME TO evidence;
CREATE INDEX evidence_activity ON evidence (activity_id);
CREATE INDEX evidence_policy ON evidence (policy_id);
CREATE INDEX evidence_sha256 ON evidence (sha256);
CREATE INDEX evidence_vendor_assessment ON evidence (vendor_assessment_id);
CREATE INDEX evidence_soc2_report ON evidence (soc2_report_id);
