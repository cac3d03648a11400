package dev.followup.patient;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.followup.InvalidInputException;
import dev.followup.RandomText;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link PhoneNumber} checks two things more cheaply than it did: the E.164 form by hand rather than
 * by a regular expression, and a parsed number's validity by its type alone rather than by asking
 * libphonenumber for both. Each is compared here with what it replaced.
 */
class PhoneNumberEquivalenceTest {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    @Test
    void theHandWrittenE164CheckAgreesWithTheExpressionItReplaced() {
        Consumer<String> agrees = s -> assertThat(PhoneNumber.isE164(s)).as("%s", s).isEqualTo(E164.matcher(s).matches());
        List.of("", "+", "+1234567", "+12345678", "+123456789012345", "+1234567890123456", "+0123456789", "+١٢٣٤٥٦٧٨",
                "+１２３４５６７８", "14155550123", "+1415555012a").forEach(agrees);
        RandomText.forEach(20261127, "+0123456789+1٣０ a", 1, 18, agrees);
        assertThat(PhoneNumber.isE164(null)).isFalse();
    }

    @Test
    void aNumberIsValidExactlyWhenLibphonenumberSaysSoAndKeepsItsLineType() {
        Random random = new Random(42);
        List<Integer> codes = new ArrayList<>(UTIL.getSupportedCallingCodes());
        List<String> regions = new ArrayList<>(UTIL.getSupportedRegions());
        int valid = 0;
        for (int i = 0; i < 40_000; i++) {
            String raw;
            String region;
            if (random.nextBoolean()) {
                raw = "+" + codes.get(random.nextInt(codes.size())) + digits(random, 4 + random.nextInt(10));
                region = "ZZ";
            } else {
                region = regions.get(random.nextInt(regions.size()));
                raw = (random.nextInt(4) == 0 ? "(0" : "") + digits(random, 5 + random.nextInt(8));
            }
            Object expected = previousParse(raw, region);
            Object actual;
            try {
                PhoneNumber parsed = PhoneNumber.parse(raw, region);
                actual = parsed.e164() + " " + parsed.lineType();
                valid++;
            } catch (InvalidInputException e) {
                actual = "invalid";
            }
            assertThat(actual).as("%s in %s", raw, region).isEqualTo(expected);
        }
        assertThat(valid).as("the sample holds valid numbers too").isGreaterThan(1_000);
    }

    /** What {@link PhoneNumber#parse} did before: validity asked separately from the type. */
    private static Object previousParse(String raw, String region) {
        Phonenumber.PhoneNumber parsed;
        try {
            parsed = UTIL.parse(raw, region);
        } catch (NumberParseException e) {
            return "invalid";
        }
        if (!UTIL.isValidNumber(parsed)) {
            return "invalid";
        }
        PhoneNumber.LineType type = switch (UTIL.getNumberType(parsed)) {
            case MOBILE -> PhoneNumber.LineType.MOBILE;
            case FIXED_LINE -> PhoneNumber.LineType.LANDLINE;
            default -> PhoneNumber.LineType.UNKNOWN;
        };
        return UTIL.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164) + " " + type;
    }

    private static String digits(Random random, int count) {
        StringBuilder s = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            s.append((char) ('0' + random.nextInt(10)));
        }
        return s.toString();
    }
}
