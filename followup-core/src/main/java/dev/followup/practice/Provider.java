package dev.followup.practice;

import dev.followup.InvalidInputException;

/**
 * A clinician of a practice, as patients know them.
 *
 * @param id the EHR's or the practice's id for the provider (or a key derived from the name)
 * @param displayName the name used in messages, e.g. {@code Dr. Martinez}
 */
public record Provider(String id, String displayName) {
    /** Validates the fields. */
    public Provider {
        if (id == null || id.isBlank() || id.length() > 64) {
            throw new InvalidInputException("provider id must be 1 to 64 characters");
        }
        if (displayName == null || displayName.isBlank() || displayName.length() > 80) {
            throw new InvalidInputException("provider " + id + " needs a display name of 1 to 80 characters");
        }
        displayName = displayName.strip();
    }
}
