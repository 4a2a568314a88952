-- Version 24: each history entry names who made the change (the computer account that ran the
-- app or the command line), beside when. Entries written before keep an empty name.

ALTER TABLE history ADD COLUMN actor TEXT NOT NULL DEFAULT '';
