package dev.followup.task;

import dev.followup.InvalidInputException;
import java.util.UUID;

/**
 * Identifies one staff task.
 *
 * @param value the identifier: 1 to 64 characters of letters, digits, {@code -}, {@code _}, {@code .} or {@code :}
 */
public record TaskId(String value) {
    private static final java.util.regex.Pattern ALLOWED = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** Validates the identifier. */
    public TaskId {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new InvalidInputException("TaskId must be 1 to 64 characters of letters, digits, '-', '_', '.' or ':'");
        }
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
