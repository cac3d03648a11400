package dev.followup.ingest;

import dev.followup.InvalidConfigurationException;
import dev.followup.InvalidInputException;
import dev.followup.followup.BatchId;
import java.util.ArrayList;
import java.util.List;

/**
 * What importing one patient list did: how many rows were read, how many created a follow-up, how
 * many matched a need already known, how many were rejected and why.
 *
 * <p>Every row read lands in exactly one of {@link #accepted()}, {@link #alreadyKnown()} and
 * {@link #rejected()}, so {@link #rowsRead()} is their sum. Nothing here carries PHI: errors hold
 * line numbers and reasons only.
 *
 * <p>To keep a file of a million bad rows in bounded memory, only the first
 * {@linkplain Builder#maxListedErrors(int) few} errors are kept; {@link #rejected()} still counts
 * them all.
 */
public final class ImportResult {
    /** How many row errors are kept by default; the rest are counted only. */
    public static final int DEFAULT_MAX_LISTED_ERRORS = 1_000;

    private static final int ERRORS_IN_SUMMARY = 5;

    private final BatchId batchId;
    private final int accepted;
    private final int alreadyKnown;
    private final int rejected;
    private final int warnings;
    private final List<RowError> errors;

    private ImportResult(BatchId batchId, int accepted, int alreadyKnown, int rejected, int warnings, List<RowError> errors) {
        this.batchId = batchId;
        this.accepted = accepted;
        this.alreadyKnown = alreadyKnown;
        this.rejected = rejected;
        this.warnings = warnings;
        this.errors = List.copyOf(errors);
    }

    /**
     * Restores a result from its counts, e.g. when a store loads a past import.
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
        if (batchId == null) {
            throw new InvalidInputException("an import result needs a batch id");
        }
        if (accepted < 0 || alreadyKnown < 0 || rejected < 0 || warnings < 0) {
            throw new InvalidInputException("import result counts must not be negative (batch " + batchId + ")");
        }
        if (errors.size() > rejected) {
            throw new InvalidInputException("import result lists more errors than rejected rows (batch " + batchId + ")");
        }
        return new ImportResult(batchId, accepted, alreadyKnown, rejected, warnings, errors);
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

    /** @return warnings on accepted and already-known rows, e.g. landlines */
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
     * A one-paragraph account for staff or logs, free of PHI, naming the first few errors.
     *
     * @return e.g. {@code Batch b1: 12 rows read: 9 accepted, 1 already known, 2 rejected; 3 warnings. Rejected: line 4: ...}
     */
    public String summary() {
        StringBuilder text = new StringBuilder()
                .append("Batch ").append(batchId).append(": ")
                .append(rowsRead()).append(rowsRead() == 1 ? " row" : " rows").append(" read: ")
                .append(accepted).append(" accepted, ")
                .append(alreadyKnown).append(" already known, ")
                .append(rejected).append(" rejected; ")
                .append(warnings).append(warnings == 1 ? " warning." : " warnings.");
        if (!errors.isEmpty()) {
            text.append(" Rejected: ");
            int shown = Math.min(ERRORS_IN_SUMMARY, errors.size());
            for (int i = 0; i < shown; i++) {
                text.append(i == 0 ? "" : "; ").append(errors.get(i));
            }
            int more = rejected - shown;
            text.append(more > 0 ? "; and " + more + " more." : ".");
        }
        return text.toString();
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
        private int accepted;
        private int alreadyKnown;
        private int rejected;
        private int warnings;
        private final List<RowError> errors = new ArrayList<>();

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
         * Counts a row that created a new follow-up, with its warnings.
         *
         * @param row the accepted row
         * @return this builder
         */
        public Builder addAccepted(ParsedRow.Accepted row) {
            accepted++;
            warnings += row.warnings().size();
            return this;
        }

        /**
         * Counts a valid row that matched a follow-up need already known, with its warnings.
         *
         * @param row the accepted row
         * @return this builder
         */
        public Builder addAlreadyKnown(ParsedRow.Accepted row) {
            alreadyKnown++;
            warnings += row.warnings().size();
            return this;
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
            return new ImportResult(batchId, accepted, alreadyKnown, rejected, warnings, errors);
        }
    }
}
