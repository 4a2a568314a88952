-- Version 17: the text of each policy version (Markdown), kept with the version. Approving a
-- version freezes its text: the database refuses to change or remove it afterwards.

CREATE TABLE policy_texts (
    policy_id  INTEGER NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    version    TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (policy_id, version)
);

CREATE TRIGGER policy_texts_frozen_update BEFORE UPDATE ON policy_texts
WHEN EXISTS (SELECT 1 FROM policy_approvals a WHERE a.policy_id = OLD.policy_id AND a.version = OLD.version)
BEGIN
    SELECT RAISE(ABORT, 'policy text frozen: the version is approved');
END;

CREATE TRIGGER policy_texts_frozen_delete BEFORE DELETE ON policy_texts
WHEN EXISTS (SELECT 1 FROM policy_approvals a WHERE a.policy_id = OLD.policy_id AND a.version = OLD.version)
BEGIN
    SELECT RAISE(ABORT, 'policy text frozen: the version is approved');
END;
