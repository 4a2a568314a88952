-- Version 13: what an auditor judges by. Evidence may be a file or a reference (a ticket URL,
-- a document id) with a note, and is withdrawn with a reason rather than deleted; controls say
-- which registers' records are their occurrences; missed periods get a management response;
-- policies say which expected policies they cover; exercises keep the day they were held.

-- Evidence: the table is rebuilt (its CHECK and NOT NULL change) with every row kept.
CREATE TABLE evidence_v13 (
    id                     INTEGER PRIMARY KEY,
    -- A file: its SHA-256 (the name in the attachment folder), name and size. NULL for a reference.
    sha256                 TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
    file_name              TEXT NOT NULL DEFAULT '',
    size                   INTEGER NOT NULL DEFAULT 0,
    -- A reference instead of a file: where the evidence is (URL, ticket or document id).
    reference              TEXT NOT NULL DEFAULT '',
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
    -- Withdrawn evidence stays on record (it may have been seen) but no longer counts.
    removed_at             TEXT,
    removed_reason         TEXT NOT NULL DEFAULT '',
    CHECK ((activity_id IS NOT NULL) + (policy_id IS NOT NULL) + (vendor_assessment_id IS NOT NULL)
           + (soc2_report_id IS NOT NULL) + (access_review_id IS NOT NULL) + (log_review_id IS NOT NULL)
           + (training_completion_id IS NOT NULL) + (disposal_id IS NOT NULL) = 1),
    CHECK ((sha256 IS NOT NULL AND file_name <> '') OR (sha256 IS NULL AND reference <> '')),
    CHECK (removed_at IS NULL OR removed_reason <> '')
);
INSERT INTO evidence_v13 (id, sha256, file_name, size, effective_date, expires_on, added_by, description, activity_id,
                          policy_id, vendor_assessment_id, soc2_report_id, access_review_id, log_review_id,
                          training_completion_id, disposal_id, created_at)
    SELECT id, sha256, file_name, size, effective_date, expires_on, added_by, description, activity_id, policy_id,
           vendor_assessment_id, soc2_report_id, access_review_id, log_review_id, training_completion_id,
           disposal_id, created_at
    FROM evidence;
DROP TABLE evidence;
ALTER TABLE evidence_v13 RENAME TO evidence;
CREATE INDEX evidence_activity ON evidence (activity_id);
CREATE INDEX evidence_policy ON evidence (policy_id);
CREATE INDEX evidence_sha256 ON evidence (sha256);
CREATE INDEX evidence_vendor_assessment ON evidence (vendor_assessment_id);
CREATE INDEX evidence_soc2_report ON evidence (soc2_report_id);
CREATE INDEX evidence_access_review ON evidence (access_review_id);
CREATE INDEX evidence_log_review ON evidence (log_review_id);
CREATE INDEX evidence_training_completion ON evidence (training_completion_id);
CREATE INDEX evidence_disposal ON evidence (disposal_id);

-- The shape of a file's hash, enforced by the database too (as in version 12).
CREATE TRIGGER evidence_sha256_shape_insert BEFORE INSERT ON evidence
WHEN NEW.sha256 IS NOT NULL AND (length(NEW.sha256) != 64 OR NEW.sha256 GLOB '*[^0-9a-f]*')
BEGIN
    SELECT RAISE(ABORT, 'evidence sha256 must be 64 lowercase hexadecimal characters');
END;

CREATE TRIGGER evidence_sha256_shape_update BEFORE UPDATE OF sha256 ON evidence
WHEN NEW.sha256 IS NOT NULL AND (length(NEW.sha256) != 64 OR NEW.sha256 GLOB '*[^0-9a-f]*')
BEGIN
    SELECT RAISE(ABORT, 'evidence sha256 must be 64 lowercase hexadecimal characters');
END;

-- Which registers' records are occurrences of a control (an access review of the access-review
-- control, a log review of the logging control, each change of the change-approval control).
-- The kinds are checked by the core, so a later kind needs no table rebuild.
CREATE TABLE control_sources (
    control_id INTEGER NOT NULL REFERENCES controls (id) ON DELETE CASCADE,
    source     TEXT NOT NULL,
    PRIMARY KEY (control_id, source)
) WITHOUT ROWID;

-- The starter library's controls count the records of the registers that are their occurrences.
INSERT INTO control_sources (control_id, source)
    SELECT c.id, l.source FROM controls c JOIN (
        SELECT 'AC-05' AS reference, 'access_reviews' AS source
        UNION ALL SELECT 'LOG-03', 'log_reviews'
        UNION ALL SELECT 'HR-03', 'training'
        UNION ALL SELECT 'HR-05', 'leavers'
        UNION ALL SELECT 'POL-01', 'policy_approvals'
        UNION ALL SELECT 'RSK-01', 'risk_assessments'
        UNION ALL SELECT 'RSK-02', 'risk_assessments'
        UNION ALL SELECT 'IR-03', 'incidents'
        UNION ALL SELECT 'IR-04', 'exercises'
        UNION ALL SELECT 'CHG-01', 'changes'
        UNION ALL SELECT 'CHG-02', 'changes'
        UNION ALL SELECT 'CHG-03', 'changes'
        UNION ALL SELECT 'CHG-04', 'changes'
        UNION ALL SELECT 'VEN-02', 'vendor_assessments'
        UNION ALL SELECT 'DAT-02', 'disposals'
    ) l ON l.reference = c.reference;

-- The management response to an exception (a missed period or a failed event). The exception
-- itself is computed; `key` names it stably (check, record, period).
CREATE TABLE exception_responses (
    id                  INTEGER PRIMARY KEY,
    key                 TEXT NOT NULL UNIQUE,
    check_key           TEXT NOT NULL,
    summary             TEXT NOT NULL,
    period_start        TEXT,
    period_end          TEXT,
    management_response TEXT NOT NULL,
    remediation         TEXT NOT NULL DEFAULT '',
    responded_by        INTEGER REFERENCES people (id),
    action_id           INTEGER REFERENCES actions (id),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);

-- The expected policies a policy covers (one policy may cover several; a renamed one still counts).
CREATE TABLE policy_types (
    policy_id   INTEGER NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    policy_type TEXT NOT NULL,
    PRIMARY KEY (policy_id, policy_type)
) WITHOUT ROWID;
CREATE INDEX policy_types_type ON policy_types (policy_type);
INSERT INTO policy_types (policy_id, policy_type)
    SELECT id, CASE lower(title)
        WHEN 'information security policy' THEN 'information_security'
        WHEN 'acceptable use policy' THEN 'acceptable_use'
        WHEN 'access control policy' THEN 'access_control'
        WHEN 'risk management policy' THEN 'risk_management'
        WHEN 'incident response policy' THEN 'incident_response'
        WHEN 'change management policy' THEN 'change_management'
        WHEN 'vendor management policy' THEN 'vendor_management'
        WHEN 'data retention and disposal policy' THEN 'data_retention'
        WHEN 'encryption and key management policy' THEN 'encryption'
        WHEN 'logging and monitoring policy' THEN 'logging_monitoring'
        WHEN 'security awareness policy' THEN 'security_awareness'
        WHEN 'business continuity and disaster recovery policy' THEN 'business_continuity'
        WHEN 'code of conduct' THEN 'code_of_conduct'
    END
    FROM policies
    WHERE lower(title) IN ('information security policy', 'acceptable use policy', 'access control policy',
        'risk management policy', 'incident response policy', 'change management policy', 'vendor management policy',
        'data retention and disposal policy', 'encryption and key management policy', 'logging and monitoring policy',
        'security awareness policy', 'business continuity and disaster recovery policy', 'code of conduct');

-- The day an exercise was held (its planned day is only the plan).
ALTER TABLE exercises ADD COLUMN held_on TEXT;
UPDATE exercises SET held_on = substr(started_at, 1, 10) WHERE started_at IS NOT NULL;
