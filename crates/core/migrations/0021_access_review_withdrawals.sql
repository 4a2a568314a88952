-- Version 21: an access review recorded by mistake is withdrawn with a reason (archiving stays
-- for a review that was real but is no longer wanted in the lists). A withdrawn review is
-- kept, with when and why, and no longer counts anywhere.

ALTER TABLE access_reviews ADD COLUMN withdrawn_at TEXT;
ALTER TABLE access_reviews ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
