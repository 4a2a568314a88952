-- Version 26: the next free reference (ACT-0042, CHG-0042, INC-0042, RISK-042) is one past
-- the highest number among the app's own references. These indexes hold that number, so
-- finding it reads one index entry instead of every record of the register: an import of
-- rows without a reference read the whole register once a row (issue 21).
-- The expression must stay exactly the one in validate.rs (Referenced::next_number_sql).

CREATE INDEX actions_reference_number ON actions (
    CASE WHEN upper(substr(reference, 1, 4)) = 'ACT-' AND substr(reference, 5) GLOB '[0-9]*'
         THEN CAST(substr(reference, 5) AS INTEGER) END);
CREATE INDEX changes_reference_number ON changes (
    CASE WHEN upper(substr(reference, 1, 4)) = 'CHG-' AND substr(reference, 5) GLOB '[0-9]*'
         THEN CAST(substr(reference, 5) AS INTEGER) END);
CREATE INDEX incidents_reference_number ON incidents (
    CASE WHEN upper(substr(reference, 1, 4)) = 'INC-' AND substr(reference, 5) GLOB '[0-9]*'
         THEN CAST(substr(reference, 5) AS INTEGER) END);
CREATE INDEX risks_reference_number ON risks (
    CASE WHEN upper(substr(reference, 1, 5)) = 'RISK-' AND substr(reference, 6) GLOB '[0-9]*'
         THEN CAST(substr(reference, 6) AS INTEGER) END);
