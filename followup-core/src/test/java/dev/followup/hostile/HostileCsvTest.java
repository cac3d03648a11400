package dev.followup.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.FollowUpException;
import dev.followup.InvalidInputException;
import dev.followup.ingest.ParsedRow;
import dev.followup.ingest.PatientListReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile patient lists: arbitrary bytes, broken quotes, huge fields, wrong encodings, formula
 * injection, very wide rows, empty files. Each gets a clear error per row or per file, and good rows
 * are never lost. Generated inputs use fixed seeds so that a failure reproduces.
 */
class HostileCsvTest {
    private static final String HEADER = "MRN,First Name,Last Name,Phone,Email,Provider,Follow-Up Type\n";

    private static String goodRow(int i) {
        return "M" + i + ",Pat" + i + ",Good" + i + ",+1312555" + String.format("%04d", i % 10_000) + ",,Dr. Good,annual\n";
    }

    private static List<ParsedRow> read(byte[] bytes) {
        List<ParsedRow> rows = new ArrayList<>();
        PatientListReader.builder().build().read(new ByteArrayInputStream(bytes), rows::add);
        return rows;
    }

    private static long accepted(List<ParsedRow> rows) {
        return rows.stream().filter(r -> r instanceof ParsedRow.Accepted).count();
    }

    @Test
    void arbitraryBytesGiveAFileErrorOrRowErrorsNeverAnythingElse() {
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            byte[] junk = new byte[random.nextInt(4000)];
            random.nextBytes(junk);
            try {
                List<ParsedRow> rows = read(junk);
                assertThat(rows).allSatisfy(r -> assertThat(r.line()).isPositive());
            } catch (FollowUpException e) {
                assertThat(e).isInstanceOf(InvalidInputException.class);
            }
        }
    }

    @Test
    void goodRowsSurviveAnyGarbageBetweenThem() {
        Random random = new Random(11);
        for (int round = 0; round < 100; round++) {
            StringBuilder csv = new StringBuilder(HEADER);
            int good = 0;
            for (int i = 0; i < 40; i++) {
                if (random.nextInt(3) == 0) {
                    csv.append(garbageLine(random));
                } else {
                    csv.append(goodRow(round * 100 + i));
                    good++;
                }
            }
            List<ParsedRow> rows = read(csv.toString().getBytes(StandardCharsets.UTF_8));
            assertThat(accepted(rows)).as("round %d", round).isGreaterThanOrEqualTo(good);
        }
    }

    /** A line with broken quoting, control characters or stray delimiters, but no line break inside quotes that never closes. */
    private static String garbageLine(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> "M,\"broken quote,Pat,X,+13125550100,,Dr,annual\n";
            case 1 -> "\"a\"b\",c,d\n";
            case 2 -> ",,,,,,,,,,,,,,,,,,,\n";
            case 3 -> "\u0000\u0001\u0002,\u007f\n";
            case 4 -> "=HYPERLINK(\"http://x\"),@SUM(1),+1,-1,,Dr. X,annual\n";
            default -> "only,three,cells\n";
        };
    }

    @Test
    void anUnclosedQuoteCostsOneRowNotTheRestOfTheFile() {
        String csv = HEADER + goodRow(1) + "M2,\"Unclosed,Name,+13125550102,,Dr. Good,annual\n" + goodRow(3) + goodRow(4);
        List<ParsedRow> rows = read(csv.getBytes(StandardCharsets.UTF_8));
        assertThat(accepted(rows)).isEqualTo(3); // rows 1, 3 and 4: the quote swallowed lines that are read again
        assertThat(rows).filteredOn(r -> r instanceof ParsedRow.Rejected).singleElement()
                .satisfies(r -> assertThat(((ParsedRow.Rejected) r).error().line()).isEqualTo(3));
    }

    @Test
    void aHugeFieldIsARowErrorAndReadingGoesOn() {
        byte[] head = (HEADER + goodRow(1) + "M2,").getBytes(StandardCharsets.UTF_8);
        byte[] tail = (",Big,+13125550102,,Dr. Good,annual\n" + goodRow(3)).getBytes(StandardCharsets.UTF_8);
        int hugeLength = 50 * 1024 * 1024; // 50 MiB in one unquoted field, streamed: never held whole
        InputStream stream = new java.io.SequenceInputStream(java.util.Collections.enumeration(List.of(
                new ByteArrayInputStream(head), new RepeatingInputStream((byte) 'x', hugeLength), new ByteArrayInputStream(tail))));
        List<ParsedRow> rows = new ArrayList<>();
        PatientListReader.builder().build().read(stream, rows::add);
        assertThat(accepted(rows)).isEqualTo(2);
        assertThat(rows).filteredOn(r -> r instanceof ParsedRow.Rejected).hasSize(1);
        ParsedRow.Rejected rejected = (ParsedRow.Rejected) rows.stream().filter(r -> r instanceof ParsedRow.Rejected).findFirst().orElseThrow();
        assertThat(rejected.error().reason()).doesNotContain("xxxx");
    }

    @Test
    void tenThousandColumnsAreRejectedPerRowWithTheirLineNumber() {
        String wide = "M2,Wide,Row,+13125550102,,Dr. Good,annual" + ",x".repeat(10_000) + "\n";
        List<ParsedRow> rows = read((HEADER + goodRow(1) + wide + goodRow(3)).getBytes(StandardCharsets.UTF_8));
        assertThat(accepted(rows)).isEqualTo(2);
        assertThat(rows).filteredOn(r -> r instanceof ParsedRow.Rejected).singleElement()
                .satisfies(r -> assertThat(r.line()).isEqualTo(3));
    }

    @Test
    void aHeaderWithTenThousandColumnsStillMapsOrFailsClearly() {
        String header = "MRN,First Name,Last Name,Phone,Email,Provider,Follow-Up Type" + ",extra".repeat(10_000) + "\n";
        List<ParsedRow> rows = read((header + goodRow(1)).getBytes(StandardCharsets.UTF_8));
        assertThat(rows).hasSize(1);
    }

    @Test
    void emptyAndBlankFilesAreClearFileErrors() {
        assertThatThrownBy(() -> read(new byte[0])).isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> read("\n\n\n".getBytes(StandardCharsets.UTF_8))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> read("not,a,patient,list\n1,2,3,4\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void windows1252AndUtf16AndUtf8WithBomAllReadTheSameNames() {
        String csv = HEADER + "M1,José,Muñoz,+13125550101,,Dr. Good,annual\n";
        for (byte[] bytes : List.of(csv.getBytes(StandardCharsets.UTF_8), csv.getBytes(java.nio.charset.Charset.forName("windows-1252")),
                ("\uFEFF" + csv).getBytes(StandardCharsets.UTF_8), ("\uFEFF" + csv).getBytes(StandardCharsets.UTF_16BE))) {
            List<ParsedRow> rows = read(bytes);
            assertThat(rows).singleElement().isInstanceOfSatisfying(ParsedRow.Accepted.class,
                    a -> assertThat(a.record().firstName() + " " + a.record().lastName()).isEqualTo("José Muñoz"));
        }
    }

    @Test
    void formulaLikeCellsAreKeptAsPlainText() {
        String csv = HEADER + "M1,=cmd|' /C calc'!A0,@SUM(A1),+13125550101,,Dr. Good,annual\n";
        List<ParsedRow> rows = read(csv.getBytes(StandardCharsets.UTF_8));
        assertThat(rows).singleElement().isInstanceOf(ParsedRow.Accepted.class);
    }

    /** An endless run of one byte, without materialising it. */
    static final class RepeatingInputStream extends InputStream {
        private final byte value;
        private long remaining;

        RepeatingInputStream(byte value, long length) {
            this.value = value;
            this.remaining = length;
        }

        @Override
        public int read() {
            if (remaining <= 0) {
                return -1;
            }
            remaining--;
            return value & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            java.util.Arrays.fill(b, off, off + n, value);
            remaining -= n;
            return n;
        }
    }
}
