-- Version 28: the index that holds the changes list's order (version 25) now holds only the
-- changes the list shows by default, those not archived. A later page skips the rows before
-- it in the index alone; with every change in the index, each row skipped was read from the
-- table to see whether it was archived, so the last page grew faster than the register
-- (issue 21). The list with archived changes shown sorts them instead.

DROP INDEX changes_newest;
CREATE INDEX changes_live_newest ON changes (deployed_at IS NULL, deployed_at, reference) WHERE archived_at IS NULL;
