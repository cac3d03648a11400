-- Version 6: the blind index of the email address and name of a patient without an MRN. An import
-- that meets a new patient (a new number, or none) with the email and name of a patient who opted
-- out records the opt-out for the new patient too: consent withdrawn follows the person, not the
-- number. Rows stored before this version have none until they are saved again.

ALTER TABLE followup_patient ADD COLUMN contact_hash VARCHAR(64);
CREATE INDEX followup_patient_contact ON followup_patient (practice_id, contact_hash);
