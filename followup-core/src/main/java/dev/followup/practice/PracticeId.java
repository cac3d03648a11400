package dev.followup.practice;

import dev.followup.Identifiers;
import java.util.UUID;

/**
 * Identifies a practice, the tenant that owns every other record.
 *
 * @param value the identifier: 1 to 64 characters of letters, digits, {@code -}, {@code _}, {@code .} or {@code :}
 */
public record PracticeId(String value) {
    /** Validates the identifier. */
    public PracticeId {
        Identifiers.require(value, "PracticeId");
    }

    /**
     * @param value the identifier
     * @return the id
     */
    public static PracticeId of(String value) {
        return new PracticeId(value);
    }

    /** @return a new random id */
    public static PracticeId random() {
        return new PracticeId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
