package dev.followup.scheduling;

import dev.followup.InvalidInputException;
import java.time.Instant;

/**
 * An open appointment time offered to a patient.
 *
 * @param id the scheduling system's id for the slot, used to book it
 * @param providerId the provider the slot belongs to
 * @param start when the appointment starts
 * @param end when it ends
 */
public record Slot(String id, String providerId, Instant start, Instant end) {
    /** Validates the slot. */
    public Slot {
        if (id == null || id.isBlank() || id.length() > 128) {
            throw new InvalidInputException("slot id must be 1 to 128 characters");
        }
        if (providerId == null || start == null || end == null || !start.isBefore(end)) {
            throw new InvalidInputException("slot " + id + " needs a provider and a start before its end");
        }
    }
}
