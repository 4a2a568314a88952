-- Version 19: a training completion recorded by mistake is withdrawn with a reason instead of
-- deleted. It stays on record, with when and why, and no longer counts anywhere.

ALTER TABLE training_completions ADD COLUMN withdrawn_at TEXT;
ALTER TABLE training_completions ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
