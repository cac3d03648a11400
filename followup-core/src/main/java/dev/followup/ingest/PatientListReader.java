package dev.followup.ingest;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.followup.InvalidConfigurationException;
import dev.followup.InvalidInputException;
import dev.followup.ingest.CsvTokenizer.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Reads the patient list an EHR exports as CSV and hands over one {@link ParsedRow} per data row.
 *
 * <p>The file is streamed: however many rows it has, memory holds one buffer and one row. The
 * header row picks the {@link CsvMapping} (unless one is given); each later row becomes either an
 * {@link ParsedRow.Accepted accepted} patient record, possibly with warnings, or a
 * {@link ParsedRow.Rejected rejection} naming its line and reason. A bad row never stops the rows
 * after it. Blank lines are skipped and are not rows.
 *
 * <p>Encodings: UTF-8 with or without a byte-order mark, Windows-1252, and UTF-16 with a
 * byte-order mark. The encoding is decided from the first 64 KB: bytes that are not valid UTF-8
 * there mean Windows-1252, unless valid multi-byte UTF-8 characters come with them. A stray invalid
 * byte in a UTF-8 file is read as Windows-1252 and the row it is in gets a warning, instead of
 * failing the file.
 *
 * <p>Fields longer than {@linkplain Builder#maxFieldLength(int) the cap} reject their row. A quoted
 * field that grows past the cap is taken for a quote that was never closed: its row is rejected
 * and reading resumes at the next line break, so one stray quote costs one row, not the file.
 * Cells that start with {@code =}, {@code +}, {@code -} or {@code @} are plain text here; whoever
 * writes values back into a spreadsheet must escape them.
 *
 * <p>Instances are immutable and can read many files, also concurrently.
 */
public final class PatientListReader {
    /** The default cap on one field, in characters. */
    public static final int DEFAULT_MAX_FIELD_LENGTH = 10_000;

    private final String region;
    private final char delimiter;
    private final @Nullable CsvMapping mapping;
    private final List<CsvMapping> candidates;
    private final int maxFieldLength;

    private PatientListReader(Builder builder) {
        this.region = builder.region;
        this.delimiter = builder.delimiter;
        this.mapping = builder.mapping;
        this.candidates = builder.candidates;
        this.maxFieldLength = builder.maxFieldLength;
    }

    /** @return a builder: region {@code US}, comma-delimited, mapping detected from the built-in profiles */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a file, handing each data row to {@code rows} as soon as it is read.
     *
     * @param in the file's bytes; read to the end but not closed (the caller owns the stream)
     * @param rows receives every row that is not blank, in file order; an exception it throws
     *     stops the reading and propagates unchanged
     * @return the mapping and encoding used and the number of rows
     * @throws InvalidInputException if the file is empty, its header fits no mapping, or it cannot be read
     */
    public ReadSummary read(InputStream in, Consumer<? super ParsedRow> rows) {
        int line = 1;
        try {
            TextSource source = TextSource.open(in);
            CsvTokenizer tokenizer = new CsvTokenizer(source, delimiter, maxFieldLength);
            RawRecord header = tokenizer.next();
            if (header == null) {
                throw new InvalidInputException("the file is empty (no header row)");
            }
            line = header.line();
            if (header.problem() != null) {
                throw new InvalidInputException("the header row (line " + line + ") is malformed: " + header.problem());
            }
            BoundMapping bound = mapping(header.fields()).bind(header.fields(), region);
            int count = 0;
            for (RawRecord record = tokenizer.next(); record != null; record = tokenizer.next()) {
                line = record.line();
                count++;
                rows.accept(bound.interpret(record));
            }
            return new ReadSummary(bound.mapping().name(), source.encoding(), count, bound.absentColumns());
        } catch (IOException e) {
            throw new InvalidInputException("the file could not be read (after line " + line + ")", e);
        }
    }

    private CsvMapping mapping(List<String> headers) {
        if (mapping != null) {
            return mapping;
        }
        try {
            return CsvMapping.detect(headers, candidates);
        } catch (InvalidInputException e) {
            if (headers.size() == 1) {
                // One column usually means the delimiter is not the one configured.
                throw new InvalidInputException(e.getMessage() + "; the header row has a single column: is the delimiter '"
                        + (delimiter == '\t' ? "\\t" : String.valueOf(delimiter)) + "' right?", e);
            }
            throw e;
        }
    }

    /** Configures a {@link PatientListReader}; every setter checks its input at once. */
    public static final class Builder {
        private String region = "US";
        private char delimiter = ',';
        private @Nullable CsvMapping mapping;
        private List<CsvMapping> candidates = CsvMapping.profiles();
        private boolean candidatesSet;
        private int maxFieldLength = DEFAULT_MAX_FIELD_LENGTH;

        private Builder() {
        }

        /**
         * @param region the ISO 3166 region assumed for phone numbers written without a country
         *     code, e.g. {@code US} (the default) or {@code CA}
         * @return this builder
         */
        public Builder region(String region) {
            String code = region == null ? "" : region.strip().toUpperCase(Locale.ROOT);
            if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(code)) {
                throw new InvalidConfigurationException("phone region '" + region + "' is not a supported ISO 3166 region code");
            }
            this.region = code;
            return this;
        }

        /**
         * @param delimiter the field separator: {@code ','} (the default), {@code ';'}, {@code '\t'}, {@code '|'}...
         * @return this builder
         */
        public Builder delimiter(char delimiter) {
            if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
                throw new InvalidConfigurationException("delimiter cannot be a quote or a line break");
            }
            this.delimiter = delimiter;
            return this;
        }

        /**
         * Uses one mapping for every file instead of detecting it from the header.
         *
         * @param mapping the mapping of the practice's export
         * @return this builder
         */
        public Builder mapping(CsvMapping mapping) {
            if (mapping == null) {
                throw new InvalidConfigurationException("mapping must not be null");
            }
            if (candidatesSet) {
                throw new InvalidConfigurationException("set either a mapping or the candidates to detect from, not both");
            }
            this.mapping = mapping;
            return this;
        }

        /**
         * Detects the mapping from these candidates instead of the built-in {@link CsvMapping#profiles()}.
         *
         * @param candidates the mappings to choose from, in order of preference
         * @return this builder
         */
        public Builder detectFrom(List<CsvMapping> candidates) {
            if (mapping != null) {
                throw new InvalidConfigurationException("set either a mapping or the candidates to detect from, not both");
            }
            if (candidates == null || candidates.isEmpty()) {
                throw new InvalidConfigurationException("detection needs at least one candidate mapping");
            }
            this.candidates = List.copyOf(candidates);
            this.candidatesSet = true;
            return this;
        }

        /**
         * @param maxFieldLength the longest field accepted, in characters (default
         *     {@value PatientListReader#DEFAULT_MAX_FIELD_LENGTH}); a row with a longer one is rejected
         * @return this builder
         */
        public Builder maxFieldLength(int maxFieldLength) {
            if (maxFieldLength < 100 || maxFieldLength > 1_000_000) {
                throw new InvalidConfigurationException("maxFieldLength must be between 100 and 1,000,000, was " + maxFieldLength);
            }
            this.maxFieldLength = maxFieldLength;
            return this;
        }

        /** @return the reader */
        public PatientListReader build() {
            return new PatientListReader(this);
        }
    }
}
