package dev.followup.patient;

import dev.followup.Identifiers;
import java.util.UUID;

/**
 * Identifies a patient within the library (not the EHR's MRN).
 *
 * @param value the identifier: 1 to 64 characters of letters, digits, {@code -}, {@code _}, {@code .} or {@code :}
 */
public record PatientId(String value) {
    /** Validates the identifier. */
    public PatientId {
        Identifiers.require(value, "PatientId");
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
