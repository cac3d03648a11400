package dev.followup.patient;

import dev.followup.InvalidInputException;
import java.util.UUID;

/**
 * Identifies a patient within the library (not the EHR's MRN).
 *
 * @param value the identifier: 1 to 64 characters of letters, digits, {@code -}, {@code _}, {@code .} or {@code :}
 */
public record PatientId(String value) {
    private static final java.util.regex.Pattern ALLOWED = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** Validates the identifier. */
    public PatientId {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new InvalidInputException("PatientId must be 1 to 64 characters of letters, digits, '-', '_', '.' or ':'");
        }
    }

    /**
     * @param value the identifier
     * @return the id
     */
    public static PatientId of(String value) {
        return new PatientId(value);
    }

    /** @return a new random id */
    public static PatientId random() {
        return new PatientId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
