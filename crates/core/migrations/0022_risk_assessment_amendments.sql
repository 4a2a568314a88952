-- Version 22: a recorded risk assessment stays frozen; a correction to it is an amendment
-- kept beside it (what was wrong, who noted it, when). Amendments are never changed or
-- removed either.

CREATE TABLE risk_assessment_amendments (
    id            INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES risk_assessments (id) ON DELETE CASCADE,
    text          TEXT NOT NULL,
    by_id         INTEGER REFERENCES people (id),
    created_at    TEXT NOT NULL
);
CREATE INDEX risk_assessment_amendments_assessment ON risk_assessment_amendments (assessment_id, id);

CREATE TRIGGER risk_assessment_amendments_frozen BEFORE UPDATE ON risk_assessment_amendments
BEGIN
    SELECT RAISE(ABORT, 'risk assessment amendments are kept as written');
END;
