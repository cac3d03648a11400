-- Version 3: settings of the store itself, not of any practice (the one table without practice_id).
-- It holds the fingerprint of the lookup key, so that a store configured with another lookup key
-- refuses to start instead of silently missing every known patient (and re-creating follow-ups on
-- the next import).
CREATE TABLE followup_store_setting (
    name           VARCHAR(64)  NOT NULL PRIMARY KEY,
    setting_value  VARCHAR(255) NOT NULL
);
