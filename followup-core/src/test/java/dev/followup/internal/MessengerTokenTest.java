package dev.followup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.RandomText;
import org.junit.jupiter.api.Test;

/** A provider's id or code is made an audit token exactly as the regular expression did it. */
class MessengerTokenTest {
    private static final String ALPHABET = "aZ09._:-/+ \t\u00e9\u212a\u0000'\"<>;=%\ud83d";

    @Test
    void keepsTheFirstFortyAllowedCharactersAsTheOldExpressionDid() {
        RandomText.forEach(4040, ALPHABET, 3, 69, code -> {
            String old = code.replaceAll("[^A-Za-z0-9._:-]", "");
            assertThat(Messenger.token(code)).as("'%s'", code).isEqualTo(old.length() > 40 ? old.substring(0, 40) : old);
        });
    }
}
