-- Version 6: a second key that recognises a patient without an MRN whose number changed (or whose
-- list left it out): the blind index of their email address with their name. Without it such a
-- patient became a new patient, outside the consent they had given or withdrawn.
-- Rows stored before this version get their key when an import next saves them.

ALTER TABLE followup_patient ADD COLUMN contact_hash VARCHAR(64);
CREATE INDEX followup_patient_contact ON followup_patient (practice_id, contact_hash);
