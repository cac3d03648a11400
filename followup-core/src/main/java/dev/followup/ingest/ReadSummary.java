package dev.followup.ingest;

import java.util.List;

/**
 * What {@link PatientListReader#read} found out about a file, besides its rows. Free of PHI.
 *
 * @param mapping the name of the mapping used (given, or detected from the header)
 * @param encoding the encoding the file was read in: {@code UTF-8}, {@code windows-1252}, {@code UTF-16LE} or {@code UTF-16BE}
 * @param rows how many data rows were handed to the consumer (blank lines are not rows)
 * @param absentColumns the mapping's optional columns the file lacks (their fields stay empty),
 *     worth showing to whoever set the mapping up: a misspelt column ends up here
 */
public record ReadSummary(String mapping, String encoding, int rows, List<String> absentColumns) {
    /** Copies the list. */
    public ReadSummary {
        absentColumns = List.copyOf(absentColumns);
    }
}
