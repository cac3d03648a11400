package dev.followup.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidInputException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SmsSegmentsTest {

    private static final String EMOJI = "\uD83D\uDE00"; // 😀, a surrogate pair

    static Stream<Arguments> segmentTable() {
        return Stream.of(
                // GSM-7 single/multi boundaries
                Arguments.of("1 char", "a", SmsEncoding.GSM_7, 1, 1),
                Arguments.of("160 GSM", "a".repeat(160), SmsEncoding.GSM_7, 160, 1),
                Arguments.of("161 GSM", "a".repeat(161), SmsEncoding.GSM_7, 161, 2),
                Arguments.of("306 GSM", "a".repeat(306), SmsEncoding.GSM_7, 306, 2),
                Arguments.of("307 GSM", "a".repeat(307), SmsEncoding.GSM_7, 307, 3),
                Arguments.of("459 GSM", "a".repeat(459), SmsEncoding.GSM_7, 459, 3),
                Arguments.of("460 GSM", "a".repeat(460), SmsEncoding.GSM_7, 460, 4),
                Arguments.of("1600 GSM", "a".repeat(1600), SmsEncoding.GSM_7, 1600, 11),
                // extension characters count two septets
                Arguments.of("one euro", "€", SmsEncoding.GSM_7, 2, 1),
                Arguments.of("all extension chars", "^{}\\[~]|€\f", SmsEncoding.GSM_7, 20, 1),
                Arguments.of("158 + ext = 160", "a".repeat(158) + "€", SmsEncoding.GSM_7, 160, 1),
                Arguments.of("159 + ext = 161", "a".repeat(159) + "[", SmsEncoding.GSM_7, 161, 2),
                Arguments.of("80 ext = 160", "{".repeat(80), SmsEncoding.GSM_7, 160, 1),
                Arguments.of("81 ext = 162", "{".repeat(81), SmsEncoding.GSM_7, 162, 2),
                // an extension char straddling the 153 boundary moves whole to the next segment
                Arguments.of("152 + ext straddles", "a".repeat(152) + "€" + "a".repeat(10), SmsEncoding.GSM_7, 164, 2),
                Arguments.of("152 + ext straddles, 306 total", "a".repeat(152) + "€" + "a".repeat(152), SmsEncoding.GSM_7, 306, 3),
                Arguments.of("151 + ext fits, 306 total", "a".repeat(151) + "€" + "a".repeat(153), SmsEncoding.GSM_7, 306, 2),
                // UCS-2 boundaries
                Arguments.of("70 UCS-2", "ç".repeat(70), SmsEncoding.UCS_2, 70, 1),
                Arguments.of("71 UCS-2", "ç".repeat(71), SmsEncoding.UCS_2, 71, 2),
                Arguments.of("134 UCS-2", "ç".repeat(134), SmsEncoding.UCS_2, 134, 2),
                Arguments.of("135 UCS-2", "ç".repeat(135), SmsEncoding.UCS_2, 135, 3),
                Arguments.of("201 UCS-2", "ç".repeat(201), SmsEncoding.UCS_2, 201, 3),
                Arguments.of("202 UCS-2", "ç".repeat(202), SmsEncoding.UCS_2, 202, 4),
                // one non-GSM character switches the whole body
                Arguments.of("emoji pushes to UCS-2", "a".repeat(69) + EMOJI, SmsEncoding.UCS_2, 71, 2),
                Arguments.of("emoji fits UCS-2 single", "a".repeat(68) + EMOJI, SmsEncoding.UCS_2, 70, 1),
                Arguments.of("curly apostrophe", "It’s time", SmsEncoding.UCS_2, 9, 1),
                Arguments.of("curly quotes", "“Hi”", SmsEncoding.UCS_2, 4, 1),
                Arguments.of("en dash", "10–12", SmsEncoding.UCS_2, 5, 1),
                Arguments.of("em dash", "a—b", SmsEncoding.UCS_2, 3, 1),
                Arguments.of("lower-case c cedilla", "ç", SmsEncoding.UCS_2, 1, 1),
                Arguments.of("GSM text 100 + one emoji", "a".repeat(100) + EMOJI, SmsEncoding.UCS_2, 102, 2),
                // surrogate pair straddling the 67 boundary moves whole
                Arguments.of("pair straddles 67", "a".repeat(66) + EMOJI + "a".repeat(10), SmsEncoding.UCS_2, 78, 2),
                Arguments.of("pair straddles, 134 total", "a".repeat(66) + EMOJI + "a".repeat(66), SmsEncoding.UCS_2, 134, 3),
                Arguments.of("pair fits, 134 total", "a".repeat(65) + EMOJI + "a".repeat(67), SmsEncoding.UCS_2, 134, 2),
                Arguments.of("35 emoji = 70 units", EMOJI.repeat(35), SmsEncoding.UCS_2, 70, 1),
                Arguments.of("36 emoji = 72 units", EMOJI.repeat(36), SmsEncoding.UCS_2, 72, 2),
                Arguments.of("67 emoji, never split", EMOJI.repeat(67), SmsEncoding.UCS_2, 134, 3),
                // an unpaired surrogate is malformed; it is counted as one UCS-2 unit, never a crash
                Arguments.of("unpaired surrogate", "a\uD83Db", SmsEncoding.UCS_2, 3, 1),
                Arguments.of("unpaired surrogates long", "\uDE00".repeat(71), SmsEncoding.UCS_2, 71, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("segmentTable")
    void countsSegments(String name, String body, SmsEncoding encoding, int units, int segments) {
        assertThat(SmsSegments.count(body)).isEqualTo(new SegmentCount(encoding, units, segments));
    }

    @Test
    void wholeGsmBasicTableIsSevenBit() {
        String basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
                + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
        assertThat(basic).hasSize(127);
        assertThat(SmsSegments.count(basic)).isEqualTo(new SegmentCount(SmsEncoding.GSM_7, 127, 1));
        for (char c : basic.toCharArray()) {
            assertThat(SmsSegments.count(String.valueOf(c)).units()).as("U+%04X", (int) c).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ç", "á", "í", "ó", "ú", "Á", "È", "õ", "ã", "ê", "`", "\u2126" /* ohm sign, not Greek omega */, "\t", "\u00A0", "\u200B", "\uD83D\uDC4D"})
    void charactersOutsideGsmNeedUcs2(String c) {
        assertThat(SmsSegments.count("Hello " + c).encoding()).isEqualTo(SmsEncoding.UCS_2);
    }

    @Test
    void emptyBodyIsZeroUnitsInZeroSegments() {
        assertThat(SmsSegments.count("")).isEqualTo(new SegmentCount(SmsEncoding.GSM_7, 0, 0));
    }

    @Test
    void nullBodyIsRejectedWithoutText() {
        assertThatThrownBy(() -> SmsSegments.count(null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void typicalReminderFitsOneSegment() {
        String body = "Dr. Lee's office: it's time for your follow-up visit. Reply YES to schedule, "
                + "call 555-0100, or STOP to opt out.";
        SegmentCount count = SmsSegments.count(body);
        assertThat(count.encoding()).isEqualTo(SmsEncoding.GSM_7);
        assertThat(count.segments()).isEqualTo(1);
    }

    @Test
    void maxBodyCharsIsTwilioLimit() {
        assertThat(SmsSegments.MAX_BODY_CHARS).isEqualTo(1600);
    }

    @Test
    void segmentCountValidates() {
        assertThatThrownBy(() -> new SegmentCount(null, 1, 1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new SegmentCount(SmsEncoding.GSM_7, -1, 1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new SegmentCount(SmsEncoding.GSM_7, 1, -1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new SegmentCount(SmsEncoding.GSM_7, 0, 1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new SegmentCount(SmsEncoding.UCS_2, 5, 0)).isInstanceOf(InvalidInputException.class);
    }
}
