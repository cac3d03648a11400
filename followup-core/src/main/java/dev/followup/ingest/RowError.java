package dev.followup.ingest;

import dev.followup.InvalidInputException;

/**
 * Why one row of a patient list could not be used.
 *
 * <p>The reason names the column or field at fault ("phone in column 'Mobile' is not a valid
 * number") but never repeats the cell's value: values are PHI, and errors are shown to staff,
 * stored with the import and may end up in logs.
 *
 * @param line the physical line of the file where the row starts, 1-based (the header is line 1)
 * @param reason what is wrong, without any cell value
 */
public record RowError(int line, String reason) {
    /** Validates the fields. */
    public RowError {
        if (line < 1) {
            throw new InvalidInputException("row error line must be 1 or more, was " + line);
        }
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("row error at line " + line + " needs a reason");
        }
    }

    @Override
    public String toString() {
        return "line " + line + ": " + reason;
    }
}
