-- Version 4: the copies of texts the SMS provider keeps, owed a redaction after retention until the
-- provider confirms erasing them. Before, the retention job asked once per outbound text, found the
-- texts by their bodies, and forgot a refusal as soon as it purged the body; inbound texts were
-- never asked for.
--
-- redaction: OWED (the provider holds a copy still to erase), REDACTED (confirmed, never asked
-- again), ABANDONED (asked as often as the engine allows; an operator must act), NONE (no copy at
-- the provider: an email, or a send the provider never accepted). On attempts it is NULL until the
-- attempt passes the retention cutoff, when the store settles it from the channel and the provider
-- id: so sends and status callbacks write nothing more, and rows written by a node of the previous
-- release are settled the same way. An inbound text always has a provider copy: OWED from the start
-- (which also makes every inbound text already stored owed).
-- redaction_tries counts the requests made; redaction_retry_at hides a refused copy until then;
-- redaction_at is when the provider was last asked.

ALTER TABLE followup_send_attempt ADD COLUMN redaction VARCHAR(16);
ALTER TABLE followup_send_attempt ADD COLUMN redaction_tries INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE followup_send_attempt ADD COLUMN redaction_retry_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE followup_send_attempt ADD COLUMN redaction_at TIMESTAMP WITH TIME ZONE;

ALTER TABLE followup_inbound_message ADD COLUMN redaction VARCHAR(16) DEFAULT 'OWED' NOT NULL;
ALTER TABLE followup_inbound_message ADD COLUMN redaction_tries INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE followup_inbound_message ADD COLUMN redaction_retry_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE followup_inbound_message ADD COLUMN redaction_at TIMESTAMP WITH TIME ZONE;

-- The retention job reads the copies still owed (and the attempts not yet settled) by age on every
-- run: these indexes keep that to the rows still in question instead of the whole message history
-- (H2 has no partial indexes; the state column leading the age gets the same effect).
CREATE INDEX followup_send_attempt_redaction ON followup_send_attempt (practice_id, redaction, created_at);
CREATE INDEX followup_inbound_message_redaction ON followup_inbound_message (practice_id, redaction, received_at);
