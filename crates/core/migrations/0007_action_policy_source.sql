-- Version 7: an action can also come from a policy (at most one source; checked on write).
ALTER TABLE actions ADD COLUMN source_policy_id INTEGER REFERENCES policies (id);
CREATE INDEX actions_source_policy ON actions (source_policy_id);
