-- Version 8: workspace settings, the risk register, risk assessments (frozen snapshots)
-- and remediation actions that come from a risk.

-- Tunable rules (risk bands now; check thresholds later). A missing key means the default
-- the core documents; values are text the core parses and validates.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE risks (
    id                  INTEGER PRIMARY KEY,
    reference           TEXT NOT NULL COLLATE NOCASE UNIQUE,
    title               TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    -- security, operational, vendor, legal_compliance, availability, fraud, privacy (checked by the core,
    -- so a later category needs no table rebuild).
    category            TEXT NOT NULL,
    owner_id            INTEGER REFERENCES people (id),
    inherent_likelihood INTEGER NOT NULL CHECK (inherent_likelihood BETWEEN 1 AND 5),
    inherent_impact     INTEGER NOT NULL CHECK (inherent_impact BETWEEN 1 AND 5),
    -- NULL while the treatment is still to be decided.
    treatment           TEXT CHECK (treatment IN ('mitigate', 'accept', 'transfer', 'avoid')),
    -- Required for mitigate and transfer; never above the inherent rating (the core explains why).
    residual_likelihood INTEGER CHECK (residual_likelihood BETWEEN 1 AND inherent_likelihood),
    residual_impact     INTEGER CHECK (residual_impact BETWEEN 1 AND inherent_impact),
    accepted_by_id      INTEGER REFERENCES people (id),
    accepted_until      TEXT,
    status              TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'treated', 'closed')),
    last_reviewed_on    TEXT,
    review_cadence      TEXT NOT NULL DEFAULT 'annual'
                          CHECK (review_cadence IN ('monthly', 'quarterly', 'semiannual', 'annual')),
    -- Which starter-library risk this came from, so the library knows what is already added.
    starter_key         TEXT UNIQUE,
    archived_at         TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX risks_owner ON risks (owner_id);

-- The controls that mitigate a risk.
CREATE TABLE risk_controls (
    risk_id    INTEGER NOT NULL REFERENCES risks (id) ON DELETE CASCADE,
    control_id INTEGER NOT NULL REFERENCES controls (id) ON DELETE CASCADE,
    PRIMARY KEY (risk_id, control_id)
) WITHOUT ROWID;
CREATE INDEX risk_controls_control ON risk_controls (control_id);

-- A dated risk assessment. Its snapshot rows copy the register as it stood, with the band
-- thresholds of the day, so the assessment reads the same whatever happens later.
CREATE TABLE risk_assessments (
    id              INTEGER PRIMARY KEY,
    performed_on    TEXT NOT NULL,
    performed_by_id INTEGER REFERENCES people (id),
    participants    TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    medium_from     INTEGER NOT NULL,
    high_from       INTEGER NOT NULL,
    critical_from   INTEGER NOT NULL,
    created_at      TEXT NOT NULL
);

CREATE TABLE risk_assessment_items (
    assessment_id       INTEGER NOT NULL REFERENCES risk_assessments (id) ON DELETE CASCADE,
    -- No foreign key: the snapshot outlives edits to (or archiving of) the live risk.
    risk_id             INTEGER NOT NULL,
    reference           TEXT NOT NULL,
    title               TEXT NOT NULL,
    category            TEXT NOT NULL,
    owner_name          TEXT NOT NULL DEFAULT '',
    inherent_likelihood INTEGER NOT NULL,
    inherent_impact     INTEGER NOT NULL,
    treatment           TEXT,
    residual_likelihood INTEGER,
    residual_impact     INTEGER,
    status              TEXT NOT NULL,
    controls            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (assessment_id, risk_id)
) WITHOUT ROWID;

CREATE TRIGGER risk_assessment_items_frozen BEFORE UPDATE ON risk_assessment_items
BEGIN
    SELECT RAISE(ABORT, 'risk assessment snapshots are frozen');
END;
CREATE TRIGGER risk_assessments_frozen BEFORE UPDATE OF performed_on, medium_from, high_from, critical_from
    ON risk_assessments
BEGIN
    SELECT RAISE(ABORT, 'risk assessment snapshots are frozen');
END;

-- An action can also come from a risk (its treatment).
ALTER TABLE actions ADD COLUMN source_risk_id INTEGER REFERENCES risks (id);
CREATE INDEX actions_source_risk ON actions (source_risk_id);
