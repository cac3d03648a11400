package dev.followup.task;

import dev.followup.Identifiers;
import java.util.UUID;

/**
 * Identifies one staff task.
 *
 * @param value the identifier: 1 to 64 characters of letters, digits, {@code -}, {@code _}, {@code .} or {@code :}
 */
public record TaskId(String value) {
    /** Validates the identifier. */
    public TaskId {
        Identifiers.require(value, "TaskId");
    }

    /**
     * @param value the identifier
     * @return the id
     */
    public static TaskId of(String value) {
        return new TaskId(value);
    }

    /** @return a new random id */
    public static TaskId random() {
        return new TaskId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
