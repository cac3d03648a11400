package dev.followup.spi;

import dev.followup.followup.FollowUpId;
import dev.followup.followup.FollowUpType;
import dev.followup.patient.PatientId;
import dev.followup.practice.PracticeId;
import dev.followup.scheduling.BookingResult;
import dev.followup.scheduling.Slot;
import org.jspecify.annotations.Nullable;

/**
 * Books a chosen slot in the practice's scheduling system.
 *
 * <p>Called outside the engine's transactions; the booking must be idempotent per
 * {@code followUpId} where the scheduling system allows, because a crash after booking and before
 * recording it leads to a second call for the same follow-up and slot.
 */
public interface AppointmentBooker {

    /**
     * @param request what to book
     * @return booked, slot taken (the engine offers fresh slots) or failed (staff books by hand)
     */
    BookingResult book(BookingRequest request);

    /**
     * A booking request.
     *
     * @param practiceId the practice
     * @param followUpId the follow-up being booked (an idempotency key)
     * @param patientId the patient
     * @param mrn the EHR's record number, if known (PHI: never log it)
     * @param type the kind of visit
     * @param slot the chosen slot
     */
    record BookingRequest(PracticeId practiceId, FollowUpId followUpId, PatientId patientId, @Nullable String mrn,
            FollowUpType type, Slot slot) {
        @Override
        public String toString() {
            return "BookingRequest[practice=" + practiceId + ", followUp=" + followUpId + ", slot=" + slot.id() + "]";
        }
    }
}
