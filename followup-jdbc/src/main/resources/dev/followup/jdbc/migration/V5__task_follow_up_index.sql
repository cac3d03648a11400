-- Version 5: the weekly report asks, for each follow-up closed in the week, whether it was ever
-- handed to staff (a recovered booking is one the engine worked for; staff time is saved only on
-- follow-ups staff never had). Without this index each question would scan the practice's tasks.

CREATE INDEX followup_task_follow_up ON followup_task (practice_id, follow_up_id);
