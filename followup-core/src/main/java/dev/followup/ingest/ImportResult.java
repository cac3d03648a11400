package dev.followup.ingest;

import dev.followup.InvalidConfigurationException;
import dev.followup.InvalidInputException;
import dev.followup.followup.BatchId;
import java.util.ArrayList;
import java.util.List;

/**
 * What importing one patient list did: how many rows were read, how many created a follow-up, how
 * many matched a need already known, how many were rejected and why, and what was doubtful in the
 * rows that were used.
 *
 * <p>Every row read lands in exactly one of {@link #accepted()}, {@link #alreadyKnown()} and
 * {@link #rejected()}, so {@link #rowsRead()} is their sum. Nothing here carries PHI: errors and
 * warnings hold line numbers and reasons only.
 *
 * <p>To keep a file of a million bad rows in bounded memory, only the first
 * {@linkplain Builder#maxListedErrors(int) few} errors and the first
 * {@linkplain Builder#maxListedWarnings(int) few} warnings are kept; {@link #rejected()} and
 * {@link #warnings()} still count them all.
 */
public final class ImportResult {
    /** How many row errors are kept by default; the rest are counted only. */
    public static final int DEFAULT_MAX_LISTED_ERRORS = 1_000;

    /** How many row warnings are kept by default; the rest are counted only. */
    public static final int DEFAULT_MAX_LISTED_WARNINGS = 1_000;

    private static final int ERRORS_IN_SUMMARY = 5;
    private static final int WARNINGS_IN_SUMMARY = 5;

    private final BatchId batchId;
    private final int accepted;
    private final int alreadyKnown;
    private final int rejected;
    private final int warnings;
    private final List<RowError> errors;
    private final List<RowWarning> rowWarnings;

    private ImportResult(BatchId batchId, int accepted, int alreadyKnown, int rejected, int warnings, List<RowError> errors,
            List<RowWarning> rowWarnings) {
        this.batchId = batchId;
        this.accepted = accepted;
        this.alreadyKnown = alreadyKnown;
        this.rejected = rejected;
        this.warnings = warnings;
        this.errors = List.copyOf(errors);
        this.rowWarnings = List.copyOf(rowWarnings);
    }

    /**
     * Restores a result from its counts, e.g. when a store loads a past import, without listed
     * warnings.
     *
     * @param batchId the id of the imported list
     * @param accepted rows that created a new follow-up
     * @param alreadyKnown valid rows that matched a known need
     * @param rejected rows that could not be used
     * @param warnings warnings on accepted and already-known rows
     * @param errors the listed errors, at most {@code rejected} of them
     * @return the result
     * @throws InvalidInputException if a count is negative or there are more errors than rejections
     */
    public static ImportResult of(BatchId batchId, int accepted, int alreadyKnown, int rejected, int warnings,
            List<RowError> errors) {
        return of(batchId, accepted, alreadyKnown, rejected, warnings, errors, List.of());
    }

    /**
     * Restores a result from its counts and the errors and warnings it listed.
     *
     * @param batchId the id of the imported list
     * @param accepted rows that created a new follow-up
     * @param alreadyKnown valid rows that matched a known need
     * @param rejected rows that could not be used
     * @param warnings warnings on accepted and already-known rows
     * @param errors the listed errors, at most {@code rejected} of them
     * @param rowWarnings the listed warnings, at most {@code warnings} of them
     * @return the result
     * @throws InvalidInputException if a count is negative, or there are more errors than
     *     rejections or more listed warnings than counted
     */
    public static ImportResult of(BatchId batchId, int accepted, int alreadyKnown, int rejected, int warnings,
            List<RowError> errors, List<RowWarning> rowWarnings) {
        if (batchId == null) {
            throw new InvalidInputException("an import result needs a batch id");
        }
        if (accepted < 0 || alreadyKnown < 0 || rejected < 0 || warnings < 0) {
            throw new InvalidInputException("import result counts must not be negative (batch " + batchId + ")");
        }
        if (errors.size() > rejected) {
            throw new InvalidInputException("import result lists more errors than rejected rows (batch " + batchId + ")");
        }
        if (rowWarnings.size() > warnings) {
            throw new InvalidInputException("import result lists more warnings than it counts (batch " + batchId + ")");
        }
        return new ImportResult(batchId, accepted, alreadyKnown, rejected, warnings, errors, rowWarnings);
    }

    /**
     * Starts counting the import of one list.
     *
     * @param batchId the id of the imported list
     * @return a builder to feed row by row
     */
    public static Builder builder(BatchId batchId) {
        return new Builder(batchId);
    }

    /** @return the id of the imported list */
    public BatchId batchId() {
        return batchId;
    }

    /** @return data rows read (blank lines not counted): accepted + already known + rejected */
    public int rowsRead() {
        return accepted + alreadyKnown + rejected;
    }

    /** @return rows that created a new follow-up */
    public int accepted() {
        return accepted;
    }

    /** @return valid rows that matched a follow-up need already known, so created nothing */
    public int alreadyKnown() {
        return alreadyKnown;
    }

    /** @return rows that could not be used */
    public int rejected() {
        return rejected;
    }

    /** @return warnings on accepted and already-known rows, e.g. landlines; {@link #rowWarnings()} lists them */
    public int warnings() {
        return warnings;
    }

    /** @return the errors kept, in the order they were added (at most the builder's limit) */
    public List<RowError> errors() {
        return errors;
    }

    /** @return how many rejected rows are counted but not listed in {@link #errors()} */
    public int errorsNotListed() {
        return rejected - errors.size();
    }

    /**
     * The warnings kept, one per warning (a row with two has two, on the same line), so that staff
     * can fix the export: which line, which column, and what was done instead.
     *
     * @return the warnings kept, in the order they were added (at most the builder's limit)
     */
    public List<RowWarning> rowWarnings() {
        return rowWarnings;
    }

    /** @return how many warnings are counted in {@link #warnings()} but not listed in {@link #rowWarnings()} */
    public int warningsNotListed() {
        return warnings - rowWarnings.size();
    }

    /**
     * A one-paragraph account for staff or logs, free of PHI, naming the first few errors and warnings.
     *
     * @return e.g. {@code Batch b1: 12 rows read: 9 accepted, 1 already known, 2 rejected; 3 warnings.
     *     Rejected: line 4: ...; line 9: .... Warnings: line 2: ...; and 2 more.}
     */
    public String summary() {
        StringBuilder text = new StringBuilder()
                .append("Batch ").append(batchId).append(": ")
                .append(rowsRead()).append(rowsRead() == 1 ? " row" : " rows").append(" read: ")
                .append(accepted).append(" accepted, ")
                .append(alreadyKnown).append(" already known, ")
                .append(rejected).append(" rejected; ")
                .append(warnings).append(warnings == 1 ? " warning." : " warnings.");
        appendFirst(text, " Rejected: ", errors, ERRORS_IN_SUMMARY, rejected);
        appendFirst(text, " Warnings: ", rowWarnings, WARNINGS_IN_SUMMARY, warnings);
        return text.toString();
    }

    /** Appends the first of a list, and how many more there were of {@code total} (some may not have been kept). */
    private static void appendFirst(StringBuilder text, String heading, List<?> listed, int limit, int total) {
        if (listed.isEmpty()) {
            return;
        }
        text.append(heading);
        int shown = Math.min(limit, listed.size());
        for (int i = 0; i < shown; i++) {
            text.append(i == 0 ? "" : "; ").append(listed.get(i));
        }
        int more = total - shown;
        text.append(more > 0 ? "; and " + more + " more." : ".");
    }

    @Override
    public String toString() {
        return "ImportResult[batch=" + batchId + ", read=" + rowsRead() + ", accepted=" + accepted
                + ", alreadyKnown=" + alreadyKnown + ", rejected=" + rejected + ", warnings=" + warnings + "]";
    }

    /**
     * Counts an import as it runs. Feed it every row the reader hands over; not thread-safe (one
     * import runs on one thread).
     */
    public static final class Builder {
        private final BatchId batchId;
        private int maxListedErrors = DEFAULT_MAX_LISTED_ERRORS;
        private int maxListedWarnings = DEFAULT_MAX_LISTED_WARNINGS;
        private int accepted;
        private int alreadyKnown;
        private int rejected;
        private int warnings;
        private final List<RowError> errors = new ArrayList<>();
        private final List<RowWarning> rowWarnings = new ArrayList<>();

        private Builder(BatchId batchId) {
            if (batchId == null) {
                throw new InvalidInputException("an import result needs a batch id");
            }
            this.batchId = batchId;
        }

        /**
         * @param max how many errors to keep for {@link ImportResult#errors()}; later ones are counted only
         * @return this builder
         */
        public Builder maxListedErrors(int max) {
            if (max < 0) {
                throw new InvalidConfigurationException("maxListedErrors must be 0 or more, was " + max);
            }
            this.maxListedErrors = max;
            return this;
        }

        /**
         * @param max how many warnings to keep for {@link ImportResult#rowWarnings()}; later ones are counted only
         * @return this builder
         */
        public Builder maxListedWarnings(int max) {
            if (max < 0) {
                throw new InvalidConfigurationException("maxListedWarnings must be 0 or more, was " + max);
            }
            this.maxListedWarnings = max;
            return this;
        }

        /**
         * Counts a row that created a new follow-up, and counts and lists its warnings.
         *
         * @param row the accepted row
         * @return this builder
         */
        public Builder addAccepted(ParsedRow.Accepted row) {
            accepted++;
            addWarnings(row);
            return this;
        }

        /**
         * Counts a valid row that matched a follow-up need already known, and counts and lists its warnings.
         *
         * @param row the accepted row
         * @return this builder
         */
        public Builder addAlreadyKnown(ParsedRow.Accepted row) {
            alreadyKnown++;
            addWarnings(row);
            return this;
        }

        private void addWarnings(ParsedRow.Accepted row) {
            for (String reason : row.warnings()) {
                warnings++;
                if (rowWarnings.size() < maxListedWarnings) {
                    rowWarnings.add(new RowWarning(row.line(), reason));
                }
            }
        }

        /**
         * Counts a rejected row, whether the reader or the engine rejected it.
         *
         * @param error the line and reason, without PHI
         * @return this builder
         */
        public Builder addRejected(RowError error) {
            if (error == null) {
                throw new InvalidInputException("a rejected row needs its error");
            }
            rejected++;
            if (errors.size() < maxListedErrors) {
                errors.add(error);
            }
            return this;
        }

        /** @return the result counted so far */
        public ImportResult build() {
            return new ImportResult(batchId, accepted, alreadyKnown, rejected, warnings, errors, rowWarnings);
        }
    }
}
