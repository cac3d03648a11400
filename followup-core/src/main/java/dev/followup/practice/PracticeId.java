package dev.followup.practice;

import dev.followup.InvalidInputException;
import java.util.UUID;

/**
 * Identifies a practice, the tenant that owns every other record.
 *
 * @param value the identifier: 1 to 64 characters of letters, digits, {@code -}, {@code _}, {@code .} or {@code :}
 */
public record PracticeId(String value) {
    private static final java.util.regex.Pattern ALLOWED = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** Validates the identifier. */
    public PracticeId {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new InvalidInputException("PracticeId must be 1 to 64 characters of letters, digits, '-', '_', '.' or ':'");
        }
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
