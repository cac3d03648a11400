package dev.followup.followup;

/** The ways a patient is reached. */
public enum Channel {
    /** A text message. */
    SMS,
    /** An email. */
    EMAIL,
    /** A call by a member of staff, through a staff task. */
    STAFF_CALL
}
