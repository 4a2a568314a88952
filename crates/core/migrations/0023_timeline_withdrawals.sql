-- Version 23: an incident timeline entry written in error is corrected or withdrawn, never
-- deleted. A withdrawn entry is kept, struck through, with when and why; the incident's
-- history keeps what every entry said before a correction.

ALTER TABLE incident_timeline ADD COLUMN withdrawn_at TEXT;
ALTER TABLE incident_timeline ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
