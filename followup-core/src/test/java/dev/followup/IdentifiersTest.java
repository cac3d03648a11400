package dev.followup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.followup.FollowUpType;
import dev.followup.patient.PatientId;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The hand-written checks of identifiers and follow-up types accept exactly what the regular
 * expressions they replaced accepted, on strings drawn from an alphabet full of edge cases.
 */
class IdentifiersTest {
    private static final String ALPHABET = "aZz09._:-/ \t_\u00e9\u0130\u212a\u0000\u00a0-AbC\ud83d\ude00";

    @Test
    void acceptsExactlyWhatTheOldPatternAccepted() {
        RandomText.forEach(20261127, ALPHABET, 4, 70,
                s -> assertThat(Identifiers.isValid(s)).as("'%s'", s).isEqualTo(s.matches("[A-Za-z0-9._:-]{1,64}")));
        assertThat(Identifiers.isValid(null)).isFalse();
        assertThat(Identifiers.isValid("a".repeat(64))).isTrue();
        assertThat(Identifiers.isValid("a".repeat(65))).isFalse();
    }

    @Test
    void aRefusedIdNamesItsKindNotItsValue() {
        assertThatThrownBy(() -> PatientId.of("MRN 123 Jane")).isInstanceOf(InvalidInputException.class)
                .hasMessage("PatientId must be 1 to 64 characters of letters, digits, '-', '_', '.' or ':'");
    }

    @Test
    void followUpTypesNormaliseAsTheOldRegularExpressionsDid() {
        RandomText.forEach(42, ALPHABET, 4, 52, s -> {
            String old = s.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_/]+", "-");
            boolean oldAccepts = old.matches("[a-z0-9][a-z0-9-]{0,47}");
            if (oldAccepts) {
                assertThat(FollowUpType.of(s).code()).as("'%s'", s).isEqualTo(old);
            } else {
                assertThatThrownBy(() -> FollowUpType.of(s)).as("'%s'", s).isInstanceOf(InvalidInputException.class);
            }
        });
        assertThat(FollowUpType.GENERAL.code()).isEqualTo("general");
    }
}
