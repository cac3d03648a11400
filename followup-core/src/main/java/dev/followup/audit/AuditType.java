package dev.followup.audit;

/** What an audit event records. */
public enum AuditType {
    /** A patient list was ingested. */
    BATCH_INGESTED,
    /** A follow-up was created. */
    FOLLOW_UP_CREATED,
    /** A follow-up changed state. */
    STATE_CHANGED,
    /** A message was recorded before sending. */
    MESSAGE_PREPARED,
    /** A provider accepted a message. */
    MESSAGE_SENT,
    /** A message failed or could not be sent. */
    MESSAGE_FAILED,
    /** A message's outcome could not be learned; counted as sent. */
    MESSAGE_UNCONFIRMED,
    /** A provider reported a delivery status. */
    DELIVERY_STATUS,
    /** A step was not taken now (send window, contact limit, missing contact point). */
    STEP_DEFERRED,
    /** A patient's text arrived. */
    MESSAGE_RECEIVED,
    /** A patient opted out or back in. */
    CONSENT_CHANGED,
    /** A channel was suppressed for a patient (invalid number, bouncing address). */
    CHANNEL_SUPPRESSED,
    /** A channel's suppression was lifted: a later list brought the patient a new address on it. */
    CHANNEL_RESTORED,
    /** Slots were offered. */
    SLOTS_OFFERED,
    /** An appointment was booked. */
    APPOINTMENT_BOOKED,
    /** A staff task was opened. */
    TASK_OPENED,
    /** A staff task was claimed. */
    TASK_CLAIMED,
    /** A staff task was completed. */
    TASK_COMPLETED,
    /** Message bodies were purged after the retention period. */
    RETENTION_PURGE,
    /** The SMS provider confirmed erasing its copy of a text past retention; it is not asked again. */
    PROVIDER_COPY_REDACTED,
    /** The SMS provider refused to erase its copy of a text, or could not be asked; it is asked again later. */
    PROVIDER_COPY_NOT_REDACTED,
    /** The SMS provider was asked as often as allowed and still holds its copy of a text: an operator must act. */
    PROVIDER_COPY_ABANDONED
}
