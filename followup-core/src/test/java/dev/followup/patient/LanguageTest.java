package dev.followup.patient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidInputException;
import org.junit.jupiter.api.Test;

/** A language code is exactly two lower-case ASCII letters. */
class LanguageTest {
    @Test
    void codesAreTwoLowerCaseAsciiLetters() {
        assertThat(new Language("es").code()).isEqualTo("es");
        for (String refused : new String[] {"", "e", "ES", "esp", "e1", "\u00e9s", "\u212ak", " e"}) {
            assertThatThrownBy(() -> new Language(refused)).as(refused).isInstanceOf(InvalidInputException.class);
        }
        assertThatThrownBy(() -> new Language(null)).isInstanceOf(InvalidInputException.class);
    }
}
