-- Version 16: an action raised for a readiness finding says which finding (its check and the
-- record it names), so "create actions for all findings" never raises a second open one.

ALTER TABLE actions ADD COLUMN finding_key TEXT;
CREATE INDEX actions_finding_key ON actions (finding_key) WHERE finding_key IS NOT NULL;
