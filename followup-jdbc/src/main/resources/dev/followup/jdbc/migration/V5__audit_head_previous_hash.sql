-- Version 5: room on the trail head for the hash a move replaced, so that on PostgreSQL a
-- transaction with one audit event appends it in one statement: an UPDATE of the head moves it
-- (every SET reads the row as it was, so previous_hash = hash keeps the old value) and returns the
-- sequence, previous hash and hash the event needs, and the event is inserted from what it returned.
-- Before, the head was locked and read first: a round trip more on every engine step and reply.
-- Only that statement writes the column and only its RETURNING reads it; other moves of the head
-- (several events at once, H2) leave it as it was, so it is NULL or stale between them.
ALTER TABLE followup_audit_head ADD COLUMN previous_hash VARCHAR(64);
