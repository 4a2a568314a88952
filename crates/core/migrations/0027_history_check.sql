-- Version 27: the history table again, with the same columns, rows and index, and its check
-- on the action written as comparisons. SQLite checks `IN` with more than two values by
-- building a small temporary b-tree each time a row is written, and every write in the app
-- writes a history row: about a tenth of an import's work went to it (issue 21).

CREATE TABLE history_new (
    id        INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    action    TEXT NOT NULL
              CHECK (action = 'create' OR action = 'update' OR action = 'archive' OR action = 'restore'),
    at        TEXT NOT NULL,
    changes   TEXT NOT NULL, -- JSON array of {field, old, new}
    actor     TEXT NOT NULL DEFAULT ''
);
INSERT INTO history_new (id, entity, entity_id, action, at, changes, actor)
    SELECT id, entity, entity_id, action, at, changes, actor FROM history;
DROP TABLE history;
ALTER TABLE history_new RENAME TO history;
CREATE INDEX history_by_record ON history (entity, entity_id, id);
