-- Version 20: a policy acknowledgement recorded by mistake is withdrawn with a reason. It
-- stays on record, with when and why, and no longer counts anywhere.

ALTER TABLE policy_acknowledgements ADD COLUMN withdrawn_at TEXT;
ALTER TABLE policy_acknowledgements ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
