package dev.followup.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.ingest.CsvTokenizer.RawRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link TextSource} decides a file's encoding. */
class CsvEncodingTest {
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private static String decode(byte[] bytes, StringBuilder encoding) throws IOException {
        TextSource source = TextSource.open(new ByteArrayInputStream(bytes));
        encoding.append(source.encoding());
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[16];
        for (int n = source.read(buffer); n >= 0; n = source.read(buffer)) {
            text.append(buffer, 0, n);
        }
        return text.toString();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void utf8WithoutBom() throws IOException {
        StringBuilder encoding = new StringBuilder();
        assertThat(decode("José Muñoz, 李小龍 😀".getBytes(StandardCharsets.UTF_8), encoding)).isEqualTo("José Muñoz, 李小龍 😀");
        assertThat(encoding).hasToString("UTF-8");
    }

    @Test
    void utf8WithBomLosesTheBom() throws IOException {
        StringBuilder encoding = new StringBuilder();
        byte[] bytes = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "MRN,Zoë".getBytes(StandardCharsets.UTF_8));
        assertThat(decode(bytes, encoding)).isEqualTo("MRN,Zoë");
        assertThat(encoding).hasToString("UTF-8");
    }

    @Test
    void windows1252IsRecognisedFromInvalidUtf8() throws IOException {
        StringBuilder encoding = new StringBuilder();
        assertThat(decode("José Muñoz – “quoted” €5".getBytes(WINDOWS_1252), encoding)).isEqualTo("José Muñoz – “quoted” €5");
        assertThat(encoding).hasToString("windows-1252");
    }

    @Test
    void utf16WithBom() throws IOException {
        StringBuilder encoding = new StringBuilder();
        byte[] bytes = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "Name\tJosé".getBytes(StandardCharsets.UTF_16LE));
        assertThat(decode(bytes, encoding)).isEqualTo("Name\tJosé");
        assertThat(encoding).hasToString("UTF-16LE");
    }

    @Test
    void aPrefixCutInsideACharacterIsStillUtf8() throws IOException {
        // 'é' is two bytes in UTF-8; put its first byte at the very end of the sniffed prefix.
        byte[] bytes = concat("a".repeat(TextSource.SNIFF_BYTES - 1).getBytes(StandardCharsets.US_ASCII),
                "é".getBytes(StandardCharsets.UTF_8));
        StringBuilder encoding = new StringBuilder();
        assertThat(decode(bytes, encoding)).endsWith("aé");
        assertThat(encoding).hasToString("UTF-8");
    }

    @Test
    void aStrayWindows1252ByteAfterThePrefixIsReadAsWindows1252AndFlaggedOnItsRecord() throws IOException {
        StringBuilder csv = new StringBuilder("h1,h2\n");
        while (csv.length() < TextSource.SNIFF_BYTES + 10) {
            csv.append("ascii,row\n");
        }
        byte[] bytes = concat(csv.toString().getBytes(StandardCharsets.UTF_8),
                "José,Muñoz\n".getBytes(WINDOWS_1252), "Zoë,ok\n".getBytes(StandardCharsets.UTF_8));

        TextSource source = TextSource.open(new ByteArrayInputStream(bytes));
        List<RawRecord> records = records(source);

        assertThat(source.encoding()).isEqualTo("UTF-8");
        RawRecord mixed = records.get(records.size() - 2);
        assertThat(mixed.fields()).containsExactly("José", "Muñoz");
        assertThat(mixed.fallbackDecoded()).isTrue();
        assertThat(records.get(records.size() - 1).fields()).containsExactly("Zoë", "ok");
        assertThat(records.get(records.size() - 1).fallbackDecoded()).isFalse();
        assertThat(records.get(records.size() - 3).fallbackDecoded()).isFalse();
    }

    @Test
    void aStrayWindows1252ByteInThePrefixOfAUtf8FileIsReadAsWindows1252AndFlaggedOnItsRecordOnly() throws IOException {
        byte[] bytes = concat("h1,h2\n".getBytes(StandardCharsets.UTF_8),
                "Ren".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xE9}, ",Roy\n".getBytes(StandardCharsets.US_ASCII),
                "José Núñez,ok\n".getBytes(StandardCharsets.UTF_8));

        TextSource source = TextSource.open(new ByteArrayInputStream(bytes));
        List<RawRecord> records = records(source);

        assertThat(source.encoding()).isEqualTo("UTF-8");
        assertThat(records.get(1).fields()).containsExactly("René", "Roy");
        assertThat(records.get(1).fallbackDecoded()).isTrue();
        assertThat(records.get(2).fields()).containsExactly("José Núñez", "ok");
        assertThat(records.get(2).fallbackDecoded()).isFalse();
        assertThat(records.get(0).fallbackDecoded()).isFalse();
    }

    @Test
    void invalidBytesWithoutAnyValidMultiByteSequenceStillMeanWindows1252() throws IOException {
        StringBuilder encoding = new StringBuilder();
        byte[] bytes = concat("plain ascii, ".repeat(100).getBytes(StandardCharsets.US_ASCII), "Bérubé, Peña".getBytes(WINDOWS_1252));
        assertThat(decode(bytes, encoding)).endsWith("Bérubé, Peña");
        assertThat(encoding).hasToString("windows-1252");
    }

    @Test
    void aTruncatedCharacterAtTheEndOfAUtf8FileIsNotLost() throws IOException {
        byte[] bytes = concat("ab".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3});
        StringBuilder encoding = new StringBuilder();
        // A lone lead byte in the prefix is not UTF-8: the whole file is taken for Windows-1252.
        assertThat(decode(bytes, encoding)).isEqualTo("abÃ");
        assertThat(encoding).hasToString("windows-1252");
    }

    private static List<RawRecord> records(TextSource source) throws IOException {
        CsvTokenizer tokenizer = new CsvTokenizer(source, ',', 100);
        List<RawRecord> records = new ArrayList<>();
        for (RawRecord r = tokenizer.next(); r != null; r = tokenizer.next()) {
            records.add(r);
        }
        return records;
    }
}
