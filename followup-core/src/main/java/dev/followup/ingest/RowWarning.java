package dev.followup.ingest;

import dev.followup.InvalidInputException;

/**
 * Something doubtful in a row that was still used: a landline that cannot take texts, a phone
 * number that was dropped, a due date, language or time zone that was not recognised and replaced
 * by a default.
 *
 * <p>Like a {@link RowError}, the reason names the column at fault ("due date (column 'Recall') is
 * not a date ...") but never repeats the cell's value: values are PHI, and warnings are shown to
 * staff and may end up in logs.
 *
 * @param line the physical line of the file where the row starts, 1-based (the header is line 1)
 * @param reason what is doubtful and what was done instead, without any cell value
 */
public record RowWarning(int line, String reason) {
    /** Validates the fields. */
    public RowWarning {
        if (line < 1) {
            throw new InvalidInputException("row warning line must be 1 or more, was " + line);
        }
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("row warning at line " + line + " needs a reason");
        }
    }

    @Override
    public String toString() {
        return "line " + line + ": " + reason;
    }
}
