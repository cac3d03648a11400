package dev.followup.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidInputException;
import dev.followup.RandomText;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written token check of audit records accepts exactly what its regular expression did. */
class AuditRecordTokenTest {
    private static final String ALPHABET = "aZ09._:+/-\\ \t\u00e9\u212a\u0000'\"<>;=%\ud83d";

    @Test
    void acceptsExactlyWhatTheOldPatternAccepted() {
        RandomText.forEach(1127, ALPHABET, 5, 85,
                token -> assertThat(AuditRecord.isToken(token)).as("'%s'", token).isEqualTo(token.matches("[A-Za-z0-9._:+/-]{0,80}")));
    }

    @Test
    void freeTextAndNullKeysAreRefusedWithoutTheirValue() {
        Instant at = Instant.parse("2026-11-27T12:00:00Z");
        assertThatThrownBy(() -> new AuditRecord(AuditType.MESSAGE_SENT, "engine", null, null, Map.of("note", "Jane Doe"), at))
                .isInstanceOf(InvalidInputException.class).hasMessageNotContaining("Jane");
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "x");
        assertThatThrownBy(() -> new AuditRecord(AuditType.MESSAGE_SENT, "engine", null, null, nullKey, at))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'?'");
    }
}
