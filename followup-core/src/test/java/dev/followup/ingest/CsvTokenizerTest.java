package dev.followup.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.ingest.CsvTokenizer.Problem;
import dev.followup.ingest.CsvTokenizer.RawRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTokenizerTest {

    private static List<RawRecord> tokenize(String text) throws IOException {
        return tokenize(text, ',', 100);
    }

    private static List<RawRecord> tokenize(String text, char delimiter, int maxField) throws IOException {
        TextSource source = TextSource.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        CsvTokenizer tokenizer = new CsvTokenizer(source, delimiter, maxField);
        List<RawRecord> records = new ArrayList<>();
        for (RawRecord r = tokenizer.next(); r != null; r = tokenizer.next()) {
            records.add(r);
        }
        return records;
    }

    @Test
    void splitsPlainAndQuotedFields() throws IOException {
        List<RawRecord> records = tokenize("a,b,c\n\"Smith, John\",\"say \"\"hi\"\"\",\n");

        assertThat(records).extracting(RawRecord::fields)
                .containsExactly(List.of("a", "b", "c"), List.of("Smith, John", "say \"hi\"", ""));
        assertThat(records).extracting(RawRecord::line).containsExactly(1, 2);
        assertThat(records).allSatisfy(r -> assertThat(r.problem()).isNull());
    }

    @Test
    void reportsTheLineWhereAMultiLineRecordStarts() throws IOException {
        List<RawRecord> records = tokenize("h1,h2\n\"line one\nline two\r\nline three\",x\nnext,row\n");

        assertThat(records).extracting(RawRecord::line).containsExactly(1, 2, 5);
        assertThat(records.get(1).fields()).containsExactly("line one\nline two\nline three", "x");
    }

    @Test
    void aHeaderEndingInADelimiterDoesNotMakeAMultiLineFieldLookBroken() throws IOException {
        // Exports that end every line with a delimiter: the header's empty last cell is no column.
        List<RawRecord> records = tokenize("h1,h2,\n\"line one\nline two\",x\nnext,row,\n");

        assertThat(records).extracting(RawRecord::line).containsExactly(1, 2, 4);
        assertThat(records.get(1).fields()).containsExactly("line one\nline two", "x");
        assertThat(records).allSatisfy(r -> assertThat(r.problem()).isNull());
    }

    @Test
    void treatsCrLfAndLoneCrAsLineEndsAndSkipsBlankLines() throws IOException {
        List<RawRecord> records = tokenize("h1,h2\r\n\r\na,b\r\n   \r,,\rc,d");

        assertThat(records).extracting(RawRecord::fields)
                .containsExactly(List.of("h1", "h2"), List.of("a", "b"), List.of("c", "d"));
        assertThat(records).extracting(RawRecord::line).containsExactly(1, 3, 6);
    }

    @Test
    void keepsQuotesInsideUnquotedFieldsAndFormulaCellsAsText() throws IOException {
        List<RawRecord> records = tokenize("Bob \"Bobby\" Ray,=HYPERLINK(\"x\"),+1,-2,@SUM(A1)\n");

        assertThat(records.get(0).fields()).containsExactly("Bob \"Bobby\" Ray", "=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)");
    }

    @Test
    void textAfterAClosingQuoteSpoilsOnlyThatRecord() throws IOException {
        List<RawRecord> records = tokenize("h1,h2\n\"Smith\" Jr,x\n\"ok\"  ,y\n");

        assertThat(records.get(1).problem()).isEqualTo(Problem.TEXT_AFTER_QUOTE);
        assertThat(records.get(1).problemColumn()).isEqualTo(0);
        assertThat(records.get(1).fields()).hasSize(2);
        assertThat(records.get(2).problem()).isNull();
        assertThat(records.get(2).fields()).containsExactly("ok", "y");
        assertThat(records.get(2).line()).isEqualTo(3);
    }

    @Test
    void aQuoteOpenAtTheEndOfTheFileIsAProblem() throws IOException {
        List<RawRecord> records = tokenize("h1,h2\na,\"never closed\nmore,rows\nlast,row");

        assertThat(records).hasSize(4);
        assertThat(records.get(1).problem()).isEqualTo(Problem.UNCLOSED_QUOTE);
        assertThat(records.get(1).problemColumn()).isEqualTo(1);
        // The lines the open quote swallowed are read again as rows of their own.
        assertThat(records.get(2).fields()).containsExactly("more", "rows");
        assertThat(records.get(2).line()).isEqualTo(3);
        assertThat(records.get(3).fields()).containsExactly("last", "row");
    }

    @Test
    void anOverlongUnquotedFieldIsCutAndFlagged() throws IOException {
        String huge = "x".repeat(5_000);
        List<RawRecord> records = tokenize("h1,h2\n" + huge + ",b\nc,d\n");

        assertThat(records.get(1).problem()).isEqualTo(Problem.FIELD_TOO_LONG);
        assertThat(records.get(1).fields().get(0)).hasSize(100);
        assertThat(records.get(2).fields()).containsExactly("c", "d");
        assertThat(records.get(2).line()).isEqualTo(3);
    }

    @Test
    void anOverlongQuotedFieldIsTakenForAnUnclosedQuoteAndReadingResumesOnTheNextLine() throws IOException {
        String text = "h1,h2\n\"unclosed," + "y".repeat(300) + "\nc,d\ne,f\n";

        List<RawRecord> records = tokenize(text);

        assertThat(records).hasSize(4);
        assertThat(records.get(1).problem()).isEqualTo(Problem.FIELD_TOO_LONG);
        assertThat(records.get(1).line()).isEqualTo(2);
        assertThat(records.get(2).fields()).containsExactly("c", "d");
        assertThat(records.get(2).line()).isEqualTo(3);
    }

    @Test
    void aRecordWithTooManyCharactersIsFlaggedWithoutGrowingWithoutBound() throws IOException {
        String row = ",".repeat(50_000);
        List<RawRecord> records = tokenize("h\n" + "a" + row + "\nnext\n");

        assertThat(records.get(1).problem()).isEqualTo(Problem.ROW_TOO_LONG);
        assertThat(records.get(1).fields().size()).isLessThanOrEqualTo(1_001);
        assertThat(records.get(2).fields()).containsExactly("next");
    }

    @Test
    void usesAnotherDelimiter() throws IOException {
        assertThat(tokenize("a\tb;c\t\"d\te\"\n", '\t', 100).get(0).fields()).containsExactly("a", "b;c", "d\te");
        assertThat(tokenize("a;b,c;\"d;e\"\n", ';', 100).get(0).fields()).containsExactly("a", "b,c", "d;e");
    }

    @Test
    void anEmptyInputHasNoRecords() throws IOException {
        assertThat(tokenize("")).isEmpty();
        assertThat(tokenize("\n\r\n  \n")).isEmpty();
    }
}
