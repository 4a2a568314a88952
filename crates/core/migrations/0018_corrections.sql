-- Version 18: a dated record (a control activity, a log review, a disposal, a vendor
-- assessment) can be corrected or withdrawn. A withdrawn record is kept, with when and why it
-- was withdrawn, and no longer counts anywhere. Corrections are in the parent's history.

ALTER TABLE control_activities ADD COLUMN withdrawn_at TEXT;
ALTER TABLE control_activities ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE log_reviews ADD COLUMN withdrawn_at TEXT;
ALTER TABLE log_reviews ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE disposals ADD COLUMN withdrawn_at TEXT;
ALTER TABLE disposals ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE vendor_assessments ADD COLUMN withdrawn_at TEXT;
ALTER TABLE vendor_assessments ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
