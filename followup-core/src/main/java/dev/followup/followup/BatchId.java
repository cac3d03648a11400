package dev.followup.followup;

import dev.followup.Identifiers;
import java.util.UUID;

/**
 * Identifies one ingested patient list.
 *
 * @param value the identifier: 1 to 64 characters of letters, digits, {@code -}, {@code _}, {@code .} or {@code :}
 */
public record BatchId(String value) {
    /** Validates the identifier. */
    public BatchId {
        Identifiers.require(value, "BatchId");
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
