package dev.followup.scheduling;

/**
 * What the scheduling system answered to a booking request.
 */
public sealed interface BookingResult {
    /**
     * The appointment is booked.
     *
     * @param confirmation the scheduling system's reference for the appointment
     */
    record Booked(String confirmation) implements BookingResult {}

    /** Someone else took the slot meanwhile: offer fresh slots. */
    record SlotTaken() implements BookingResult {}

    /**
     * The booking failed for another reason; a person has to book by hand.
     *
     * @param reason a description without PHI
     */
    record Failed(String reason) implements BookingResult {}
}
