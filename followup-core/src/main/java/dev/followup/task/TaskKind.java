package dev.followup.task;

/** Why a person has to act. */
public enum TaskKind {
    /** The ladder ran out without a reply: call the patient. */
    CALL_PATIENT,
    /** The patient wrote something the engine does not act on by itself: read it and answer. */
    REVIEW_REPLY,
    /** The patient wants to book but no slot could be offered or chosen: book by phone. */
    SCHEDULE_MANUALLY,
    /** The scheduling system refused a booking for a reason other than a taken slot. */
    BOOKING_FAILED
}
