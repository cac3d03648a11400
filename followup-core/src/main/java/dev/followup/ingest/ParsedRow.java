package dev.followup.ingest;

import dev.followup.InvalidInputException;
import java.util.List;

/**
 * The outcome of reading one data row of a patient list: either a usable {@link PatientRecord}
 * (possibly with warnings) or the reason it was rejected. Blank rows produce neither.
 */
public sealed interface ParsedRow permits ParsedRow.Accepted, ParsedRow.Rejected {

    /** @return the physical line of the file where the row starts, 1-based (the header is line 1) */
    int line();

    /**
     * A row that yielded a patient record.
     *
     * @param line the physical line where the row starts, 1-based
     * @param record the normalised values
     * @param warnings what was doubtful but not fatal ("phone in column 'Phone' is a landline: SMS skipped"); never
     *     contains a cell value
     */
    record Accepted(int line, PatientRecord record, List<String> warnings) implements ParsedRow {
        /** Validates the fields and copies the warnings. */
        public Accepted {
            if (line < 2) {
                throw new InvalidInputException("a data row starts at line 2 or later, was " + line);
            }
            if (record == null) {
                throw new InvalidInputException("accepted row at line " + line + " needs a record");
            }
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * A row that could not be used; the rows around it are unaffected.
     *
     * @param error the line and the reason
     */
    record Rejected(RowError error) implements ParsedRow {
        /** Validates the field. */
        public Rejected {
            if (error == null) {
                throw new InvalidInputException("rejected row needs an error");
            }
        }

        @Override
        public int line() {
            return error.line();
        }
    }
}
