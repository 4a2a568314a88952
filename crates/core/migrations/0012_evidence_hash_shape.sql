-- Version 12: an evidence file's SHA-256 becomes a file name in the attachment folder, so it
-- must be exactly 64 lowercase hexadecimal characters: nothing else may ever reach a path.
-- The code checks this too; these triggers make the database refuse it on its own.

CREATE TRIGGER evidence_sha256_shape_insert BEFORE INSERT ON evidence
WHEN length(NEW.sha256) != 64 OR NEW.sha256 GLOB '*[^0-9a-f]*'
BEGIN
    SELECT RAISE(ABORT, 'evidence sha256 must be 64 lowercase hexadecimal characters');
END;

CREATE TRIGGER evidence_sha256_shape_update BEFORE UPDATE OF sha256 ON evidence
WHEN length(NEW.sha256) != 64 OR NEW.sha256 GLOB '*[^0-9a-f]*'
BEGIN
    SELECT RAISE(ABORT, 'evidence sha256 must be 64 lowercase hexadecimal characters');
END;
