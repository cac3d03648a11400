-- Version 2: the weekly report reads follow-ups, attempts and tasks by period, and the retention
-- purge reads message bodies by age. Version 1 made both scan a practice's whole history; these
-- indexes turn them into range scans.

CREATE INDEX followup_follow_up_created ON followup_follow_up (practice_id, created_at);
CREATE INDEX followup_follow_up_contacted ON followup_follow_up (practice_id, first_contact_at);
CREATE INDEX followup_follow_up_replied ON followup_follow_up (practice_id, replied_at);
CREATE INDEX followup_follow_up_closed ON followup_follow_up (practice_id, closed_at);
CREATE INDEX followup_send_attempt_created ON followup_send_attempt (practice_id, created_at);
CREATE INDEX followup_task_created ON followup_task (practice_id, created_at);
CREATE INDEX followup_task_updated ON followup_task (practice_id, updated_at);
CREATE INDEX followup_inbound_message_received ON followup_inbound_message (practice_id, received_at);
