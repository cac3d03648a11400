package dev.followup.followup;

import dev.followup.InvalidInputException;
import java.util.UUID;

/**
 * Identifies one ingested patient list.
 *
 * @param value the identifier: 1 to 64 characters of letters, digits, {@code -}, {@code _}, {@code .} or {@code :}
 */
public record BatchId(String value) {
    private static final java.util.regex.Pattern ALLOWED = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** Validates the identifier. */
    public BatchId {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new InvalidInputException("BatchId must be 1 to 64 characters of letters, digits, '-', '_', '.' or ':'");
        }
    }

    /**
     * @param value the identifier
     * @return the id
     */
    public static BatchId of(String value) {
        return new BatchId(value);
    }

    /** @return a new random id */
    public static BatchId random() {
        return new BatchId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
