package dev.followup.message;

/**
 * Why a message is sent. Only {@link #OUTREACH} counts against a patient's contact limits: every
 * other purpose answers something the patient sent.
 */
public enum MessagePurpose {
    /** A step of the escalation ladder (the invitation, the reminder email). */
    OUTREACH,
    /** Open slots after the patient said yes, or fresh ones after a slot was taken. */
    SLOT_OFFER,
    /** No slot could be offered: staff will call. */
    NO_SLOTS,
    /** The appointment is booked. */
    BOOKING_CONFIRMATION,
    /** The patient declined; how to get back in touch. */
    DECLINE_ACKNOWLEDGEMENT,
    /** A free-text reply was received and handed to staff. */
    REPLY_ACKNOWLEDGEMENT,
    /** The answer to HELP or INFO. */
    HELP,
    /** The one confirmation of an opt-out. */
    OPT_OUT_CONFIRMATION,
    /** The confirmation of an opt-in (START). */
    OPT_IN_CONFIRMATION;

    /** @return whether the message counts against the patient's contact limits */
    public boolean isOutreach() {
        return this == OUTREACH;
    }
}
