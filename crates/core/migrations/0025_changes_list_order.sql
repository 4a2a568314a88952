-- Version 25: the changes list pages newest deployment first (changes not yet deployed before
-- them, then by reference). This index holds that order, so a page reads its own rows instead
-- of sorting the whole register first (issue 21).

CREATE INDEX changes_newest ON changes (deployed_at IS NULL, deployed_at, reference);
