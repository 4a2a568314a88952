-- Version 15: what answers each of the auditor's requests (evidence on record, policies, the
-- populations the binder writes), and an id for the workspace that binders name.

CREATE TABLE audit_request_evidence (
    request_id  INTEGER NOT NULL REFERENCES audit_requests (id) ON DELETE CASCADE,
    evidence_id INTEGER NOT NULL REFERENCES evidence (id),
    PRIMARY KEY (request_id, evidence_id)
) WITHOUT ROWID;
CREATE INDEX audit_request_evidence_evidence ON audit_request_evidence (evidence_id);

CREATE TABLE audit_request_policies (
    request_id INTEGER NOT NULL REFERENCES audit_requests (id) ON DELETE CASCADE,
    policy_id  INTEGER NOT NULL REFERENCES policies (id),
    PRIMARY KEY (request_id, policy_id)
) WITHOUT ROWID;
CREATE INDEX audit_request_policies_policy ON audit_request_policies (policy_id);

CREATE TABLE audit_request_populations (
    request_id INTEGER NOT NULL REFERENCES audit_requests (id) ON DELETE CASCADE,
    population TEXT NOT NULL CHECK (population IN ('new_hires', 'leavers', 'changes', 'incidents', 'access_reviews',
        'training_completions', 'policy_approvals', 'policy_acknowledgements', 'vendors', 'systems')),
    PRIMARY KEY (request_id, population)
) WITHOUT ROWID;

INSERT OR IGNORE INTO settings (key, value, updated_at)
VALUES ('workspace.id', lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
