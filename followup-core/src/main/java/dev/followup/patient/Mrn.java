package dev.followup.patient;

import dev.followup.InvalidInputException;

/**
 * The EHR's medical record number. It identifies the patient to the practice and is therefore PHI:
 * it never appears in {@link #toString()}.
 *
 * @param value the record number as the EHR exports it, trimmed, at most 64 characters
 */
public record Mrn(String value) {
    /** Validates the record number. */
    public Mrn {
        if (value == null || value.isBlank() || value.length() > 64) {
            throw new InvalidInputException("MRN must be 1 to 64 characters");
        }
        value = value.strip();
    }

    @Override
    public String toString() {
        return "Mrn[redacted]";
    }
}
