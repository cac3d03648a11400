-- Followup schema, version 1. Written in the SQL that both H2 2.x and PostgreSQL accept.
-- Every table carries practice_id and every key and index starts with it (tenant isolation),
-- except the claim index, which the cross-practice claim query scans by due time.
-- Columns ending in _enc hold AES-256-GCM ciphertext (PHI); key_id names the data key of the
-- row's ciphertexts; columns ending in _hash hold HMAC-SHA256 blind indexes for lookups.
-- Instants are TIMESTAMP WITH TIME ZONE, written in UTC at microsecond precision.

CREATE TABLE followup_patient (
    practice_id      VARCHAR(64)  NOT NULL,
    id               VARCHAR(64)  NOT NULL,
    identity_hash    VARCHAR(64)  NOT NULL,
    phone_hash       VARCHAR(64),
    key_id           VARCHAR(32)  NOT NULL,
    mrn_enc          BYTEA,
    first_name_enc   BYTEA        NOT NULL,
    last_name_enc    BYTEA        NOT NULL,
    phone_enc        BYTEA,
    phone_line_type  VARCHAR(16),
    email_enc        BYTEA,
    language         VARCHAR(2)   NOT NULL,
    time_zone        VARCHAR(64),
    PRIMARY KEY (practice_id, id)
);
CREATE INDEX followup_patient_identity ON followup_patient (practice_id, identity_hash);
CREATE INDEX followup_patient_phone ON followup_patient (practice_id, phone_hash);

CREATE TABLE followup_follow_up (
    practice_id            VARCHAR(64)  NOT NULL,
    id                     VARCHAR(64)  NOT NULL,
    patient_id             VARCHAR(64)  NOT NULL,
    provider_id            VARCHAR(64)  NOT NULL,
    provider_name          VARCHAR(80)  NOT NULL,
    type_code              VARCHAR(48)  NOT NULL,
    preferred_days         INTEGER      NOT NULL,
    preferred_from         BIGINT       NOT NULL,
    preferred_to           BIGINT       NOT NULL,
    due_date               DATE,
    batch_id               VARCHAR(64)  NOT NULL,
    need_hash              VARCHAR(64)  NOT NULL,
    key_id                 VARCHAR(32)  NOT NULL,
    need_key_enc           BYTEA        NOT NULL,
    policy_name            VARCHAR(255) NOT NULL,
    state                  VARCHAR(16)  NOT NULL,
    next_step              INTEGER      NOT NULL,
    next_action_at         TIMESTAMP WITH TIME ZONE,
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    first_contact_at       TIMESTAMP WITH TIME ZONE,
    last_outreach_channel  VARCHAR(16),
    replied_at             TIMESTAMP WITH TIME ZONE,
    responded_channel      VARCHAR(16),
    closed_at              TIMESTAMP WITH TIME ZONE,
    offered_slots          VARCHAR      NOT NULL,
    slot_offers            INTEGER      NOT NULL,
    version                BIGINT       NOT NULL,
    claimed_by             VARCHAR(128),
    lease_until            TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (practice_id, id),
    CONSTRAINT followup_follow_up_need UNIQUE (practice_id, need_hash)
);
-- Terminal follow-ups always have next_action_at NULL, so this index holds only the timers of
-- active ones that are scheduled (H2 has no partial indexes; this gets the same effect).
CREATE INDEX followup_follow_up_due ON followup_follow_up (next_action_at);
CREATE INDEX followup_follow_up_patient ON followup_follow_up (practice_id, patient_id);

CREATE TABLE followup_send_attempt (
    practice_id          VARCHAR(64)  NOT NULL,
    id                   VARCHAR(128) NOT NULL,
    dedupe_key           VARCHAR(255) NOT NULL,
    follow_up_id         VARCHAR(64),
    patient_id           VARCHAR(64),
    channel              VARCHAR(16)  NOT NULL,
    purpose              VARCHAR(32)  NOT NULL,
    step                 INTEGER      NOT NULL,
    attempt_number       INTEGER      NOT NULL,
    state                VARCHAR(16)  NOT NULL,
    delivery_status      VARCHAR(16),
    provider_message_id  VARCHAR(128),
    error_code           VARCHAR(64),
    key_id               VARCHAR(32),
    body_enc             BYTEA,
    segments             INTEGER      NOT NULL,
    cost                 VARCHAR(40)  NOT NULL,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (practice_id, id),
    -- What makes a second send of the same step impossible, whichever node tries it.
    CONSTRAINT followup_send_attempt_dedupe UNIQUE (practice_id, dedupe_key)
);
CREATE INDEX followup_send_attempt_provider ON followup_send_attempt (practice_id, provider_message_id);
CREATE INDEX followup_send_attempt_follow_up ON followup_send_attempt (practice_id, follow_up_id);
CREATE INDEX followup_send_attempt_patient ON followup_send_attempt (practice_id, patient_id, created_at);

CREATE TABLE followup_inbound_message (
    practice_id          VARCHAR(64)  NOT NULL,
    provider_message_id  VARCHAR(128) NOT NULL,
    patient_id           VARCHAR(64),
    follow_up_id         VARCHAR(64),
    kind                 VARCHAR(16)  NOT NULL,
    key_id               VARCHAR(32),
    body_enc             BYTEA,
    received_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (practice_id, provider_message_id)
);

CREATE TABLE followup_consent (
    seq              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    practice_id      VARCHAR(64)  NOT NULL,
    id               VARCHAR(36)  NOT NULL,
    patient_id       VARCHAR(64),
    phone_hash       VARCHAR(64),
    key_id           VARCHAR(32),
    phone_enc        BYTEA,
    phone_line_type  VARCHAR(16),
    status           VARCHAR(16)  NOT NULL,
    source           VARCHAR(16)  NOT NULL,
    changed_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX followup_consent_patient ON followup_consent (practice_id, patient_id, changed_at);
CREATE INDEX followup_consent_phone ON followup_consent (practice_id, phone_hash, changed_at);

CREATE TABLE followup_suppression (
    seq            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    practice_id    VARCHAR(64)  NOT NULL,
    patient_id     VARCHAR(64)  NOT NULL,
    channel        VARCHAR(16)  NOT NULL,
    reason_code    VARCHAR(80)  NOT NULL,
    suppressed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX followup_suppression_patient ON followup_suppression (practice_id, patient_id);

CREATE TABLE followup_task (
    practice_id   VARCHAR(64)  NOT NULL,
    id            VARCHAR(64)  NOT NULL,
    follow_up_id  VARCHAR(64),
    patient_id    VARCHAR(64),
    kind          VARCHAR(32)  NOT NULL,
    priority      VARCHAR(16)  NOT NULL,
    reason        VARCHAR(500) NOT NULL,
    key_id        VARCHAR(32),
    reply_enc     BYTEA,
    state         VARCHAR(16)  NOT NULL,
    assignee      VARCHAR(128),
    outcome       VARCHAR(16),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    version       BIGINT       NOT NULL,
    PRIMARY KEY (practice_id, id)
);
CREATE INDEX followup_task_state ON followup_task (practice_id, state, created_at);

CREATE TABLE followup_audit_event (
    practice_id    VARCHAR(64)  NOT NULL,
    seq            BIGINT       NOT NULL,
    type           VARCHAR(32)  NOT NULL,
    actor          VARCHAR(80)  NOT NULL,
    follow_up_id   VARCHAR(64),
    patient_id     VARCHAR(64),
    attributes     VARCHAR      NOT NULL,
    occurred_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    previous_hash  VARCHAR(64)  NOT NULL,
    hash           VARCHAR(64)  NOT NULL,
    PRIMARY KEY (practice_id, seq)
);

-- One row per practice: the trail's head, locked by every append so that sequences have no gaps.
CREATE TABLE followup_audit_head (
    practice_id  VARCHAR(64) NOT NULL PRIMARY KEY,
    seq          BIGINT      NOT NULL,
    hash         VARCHAR(64) NOT NULL
);
