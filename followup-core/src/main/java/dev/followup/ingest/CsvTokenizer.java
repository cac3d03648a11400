package dev.followup.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Splits decoded text into CSV records (RFC 4180: fields optionally quoted with {@code "}, a quote
 * inside a quoted field doubled, line breaks allowed inside quotes; CR, LF and CRLF all end a line).
 *
 * <p>Why not commons-csv: its parser keeps no bound on a field (one unclosed quote reads the rest
 * of the file into a single {@code StringBuilder}) and ends the whole parse on a malformed quoted
 * field, which would drop every good row after a bad one. This tokenizer instead turns each of
 * those into a problem of one record and carries on:
 * <ul>
 *   <li>a quoted field that runs to the end of the file, or past the field cap, is an unclosed quote
 *       and flags its record;</li>
 *   <li>text after a closing quote ({@code "Smith" Jr}) flags the record, whose fields still line up;</li>
 *   <li>a record that spans several lines (a line break inside quotes) and turns out malformed — a
 *       problem above, or a field count that does not match the header's — was most likely opened
 *       by a stray quote: it is cut at its first line break and the lines after it are read again as
 *       records of their own, so one stray quote costs one row, not the rows it swallowed. The text
 *       read again is bounded by the record cap.</li>
 * </ul>
 * Memory per record is bounded by the record cap (ten field caps), whatever the input.
 */
final class CsvTokenizer {
    /** What made a record unusable. */
    enum Problem {
        /** A field exceeds the field cap. */
        FIELD_TOO_LONG,
        /** The whole record exceeds the record cap. */
        ROW_TOO_LONG,
        /** Characters follow a field's closing quote. */
        TEXT_AFTER_QUOTE,
        /** A quoted field is still open at the end of the file. */
        UNCLOSED_QUOTE
    }

    /**
     * One record as it stands in the file.
     *
     * @param line the physical line the record starts on, 1-based
     * @param fields the field values (possibly cut short when there is a problem)
     * @param problem why the record is unusable, or null
     * @param problemColumn the 0-based field the problem is in, or -1
     * @param fallbackDecoded whether some of its characters came from the Windows-1252 fallback
     */
    record RawRecord(int line, List<String> fields, @Nullable Problem problem, int problemColumn, boolean fallbackDecoded) {
        boolean isBlank() {
            return problem == null && fields.stream().allMatch(String::isBlank);
        }
    }

    private static final int END = -1;
    private static final char QUOTE = '"';
    private static final char NEWLINE = '\n';

    private final TextSource source;
    private final char delimiter;
    private final int maxField;
    private final int maxRecord;
    private final char[] buffer = new char[8 * 1024];
    private int position;
    private int length;
    private boolean bufferIsFallback;
    private int line = 1;
    /** Text to read again before the source: the lines swallowed by an unclosed quote. */
    private final StringBuilder replay = new StringBuilder();
    private int replayPosition;
    /** The raw text of the record being read, to read its later lines again if it turns out malformed. */
    private final StringBuilder recordRaw = new StringBuilder();
    private final int maxRaw;
    /** The header's field count, once the header was read; -1 before. */
    private int expectedColumns = -1;

    // State of the record being read.
    private final StringBuilder field = new StringBuilder();
    private int recordChars;
    private boolean recordFallback;
    private @Nullable Problem problem;
    private int problemColumn;

    CsvTokenizer(TextSource source, char delimiter, int maxFieldLength) {
        this.source = source;
        this.delimiter = delimiter;
        this.maxField = maxFieldLength;
        this.maxRecord = maxFieldLength * 10;
        this.maxRaw = maxRecord * 2 + 16;
    }

    /** @return the next record that is not blank, or null at the end of the file */
    @Nullable RawRecord next() throws IOException {
        while (true) {
            RawRecord record = readRecord();
            if (record == null || !record.isBlank()) {
                if (record != null && expectedColumns < 0) {
                    expectedColumns = width(record.fields());
                }
                return record;
            }
        }
    }

    private @Nullable RawRecord readRecord() throws IOException {
        int startLine = line;
        recordFallback = false;
        recordChars = 0;
        problem = null;
        problemColumn = -1;
        recordRaw.setLength(0);
        int c = read();
        if (c == END) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        while (true) {
            int column = fields.size();
            field.setLength(0);
            c = c == QUOTE ? readQuoted(column) : readUnquoted(c, column);
            if (recordChars <= maxRecord) {
                fields.add(field.toString());
            }
            if (c != delimiter) {
                break; // a line break or the end of the file
            }
            countChar(column);
            c = read();
        }
        int firstBreak = recordRaw.indexOf("\n");
        boolean spansLines = firstBreak >= 0 && firstBreak < recordRaw.length() - 1;
        if (spansLines && recordRaw.length() < maxRaw && isMalformed(fields)) {
            String again = recordRaw.substring(firstBreak + 1);
            replay.insert(replayPosition, again);
            line = startLine + 1;
            if (problem == null) {
                flag(Problem.UNCLOSED_QUOTE, fields.size() - 1);
            }
        }
        return new RawRecord(startLine, List.copyOf(fields), problem, problemColumn, recordFallback);
    }

    private boolean isMalformed(List<String> fields) {
        if (problem != null) {
            return true;
        }
        return expectedColumns >= 0 && usedColumns(fields, expectedColumns) != expectedColumns;
    }

    /**
     * The one rule for a header's width, shared with {@link BoundMapping}: exports often end every
     * line with a delimiter, so empty header cells at the end are no columns.
     *
     * @param header the header record's cells
     * @return how many columns the file has
     */
    static int width(List<String> header) {
        int w = header.size();
        while (w > 0 && header.get(w - 1).isBlank()) {
            w--;
        }
        return w;
    }

    /**
     * @param fields a record's cells
     * @param width the header's {@link #width}
     * @return how many of the cells count against the header: empty cells beyond it are harmless
     */
    static int usedColumns(List<String> fields, int width) {
        int used = fields.size();
        while (used > width && fields.get(used - 1).isBlank()) {
            used--;
        }
        return used;
    }

    /** Reads an unquoted field whose first char is {@code c}; returns the char that ended it. */
    private int readUnquoted(int c, int column) throws IOException {
        while (c != delimiter && c != NEWLINE && c != END) {
            append((char) c, column);
            c = read();
        }
        return c;
    }

    /** Reads a quoted field after its opening quote; returns the char that ended it. */
    private int readQuoted(int column) throws IOException {
        boolean sawLineBreak = false;
        while (true) {
            int c = read();
            if (c == END) {
                flag(Problem.UNCLOSED_QUOTE, column);
                return END;
            }
            if (c == QUOTE) {
                c = read();
                if (c == QUOTE) {
                    append(QUOTE, column);
                    continue;
                }
                return afterClosingQuote(c, column);
            }
            sawLineBreak |= c == NEWLINE;
            if (field.length() >= maxField || recordChars > maxRecord) {
                // Most likely an unclosed quote: give up on it. With a line break inside it, the record
                // ends here and its later lines are read again; without one, skip to the end of the line.
                flag(field.length() >= maxField ? Problem.FIELD_TOO_LONG : Problem.ROW_TOO_LONG, column);
                if (sawLineBreak) {
                    return NEWLINE;
                }
                while (c != NEWLINE && c != END) {
                    c = read();
                }
                return c;
            }
            append((char) c, column);
        }
    }

    private int afterClosingQuote(int c, int column) throws IOException {
        // Spaces after a closing quote are harmless padding some exporters add.
        while (c == ' ' || (c == '\t' && delimiter != '\t')) {
            c = read();
        }
        if (c != delimiter && c != NEWLINE && c != END) {
            flag(Problem.TEXT_AFTER_QUOTE, column);
            return readUnquoted(c, column);
        }
        return c;
    }

    private void append(char c, int column) {
        // Only stored chars count towards the record cap: chars the field cap discards cost no memory.
        if (field.length() >= maxField) {
            flag(Problem.FIELD_TOO_LONG, column);
        } else if (countChar(column)) {
            field.append(c);
        }
    }

    /** @return whether the record is still within its cap (once over, the count stops growing) */
    private boolean countChar(int column) {
        if (recordChars > maxRecord) {
            return false;
        }
        if (++recordChars > maxRecord) {
            flag(Problem.ROW_TOO_LONG, column);
            return false;
        }
        return true;
    }

    private void flag(Problem found, int column) {
        if (problem == null) {
            problem = found;
            problemColumn = column;
        }
    }

    /** @return the next char with every line break (CR, LF, CRLF) as one {@code '\n'}, or {@link #END} */
    private int read() throws IOException {
        if (replayPosition < replay.length()) {
            char c = replay.charAt(replayPosition++);
            if (replayPosition == replay.length()) {
                replay.setLength(0);
                replayPosition = 0;
            }
            if (c == NEWLINE) {
                line++;
            }
            keepRaw(c);
            return c;
        }
        if (position == length && !fill()) {
            return END;
        }
        char c = buffer[position++];
        if (bufferIsFallback) {
            recordFallback = true;
        }
        if (c == '\r') {
            line++;
            if ((position < length || fill()) && buffer[position] == '\n') {
                position++;
            }
            keepRaw(NEWLINE);
            return NEWLINE;
        }
        if (c == '\n') {
            line++;
        }
        keepRaw(c);
        return c;
    }

    private void keepRaw(char c) {
        if (recordRaw.length() < maxRaw) {
            recordRaw.append(c);
        }
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = source.read(buffer);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        position = 0;
        length = n;
        bufferIsFallback = source.lastReadWasFallback();
        return true;
    }
}
