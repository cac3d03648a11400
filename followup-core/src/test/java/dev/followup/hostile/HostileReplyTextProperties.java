package dev.followup.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.conversation.ClassifiedReply;
import dev.followup.conversation.ReplyClassifier;
import dev.followup.conversation.ReplyKind;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property checks over generated texts, with fixed seeds so that a failure reproduces: the
 * classifier never throws, and never turns an opt-out into anything else.
 */
class HostileReplyTextProperties {
    private static final List<String> OPT_OUT_WORDS = List.of("stop", "Stop", "STOPALL", "unsubscribe", "cancel", "end", "quit",
            "revoke", "optout", "opt out", "opt-out");
    private static final List<String> CLEAR_OPT_OUTS = List.of("STOP", "stop texting me", "unsubscribe", "please stop texting me",
            "no more messages", "opt out", "no más mensajes", "dont text me");
    private static final List<String> REPLIES = List.of("yes", "YES!", "1", "2", "no", "ok", "sure", "hello", "sí", "what time?", "");
    private static final String NOISE = " \t\n.!?,;:-*\"'()[]";
    private final ReplyClassifier classifier = ReplyClassifier.standard();

    @Test
    void neverThrowsOnArbitraryText() {
        Random random = new Random(1);
        for (int i = 0; i < 5000; i++) {
            String text = arbitraryText(random, random.nextInt(i % 50 == 0 ? 5000 : 200));
            int openSlots = random.nextInt(10);
            ClassifiedReply reply = classifier.classify(text, openSlots);
            assertThat(reply.kind()).isNotNull();
            assertThat(reply.slotNumber()).isBetween(0, openSlots);
        }
    }

    @Test
    void anOptOutKeywordAloneIsAlwaysAnOptOut() {
        Random random = new Random(2);
        for (int i = 0; i < 5000; i++) {
            String word = OPT_OUT_WORDS.get(random.nextInt(OPT_OUT_WORDS.size()));
            String text = noise(random) + (random.nextBoolean() ? word.toUpperCase(Locale.ROOT) : word) + noise(random);
            assertThat(classifier.classify(text, random.nextInt(6)).kind()).as("'%s'", text).isEqualTo(ReplyKind.OPT_OUT);
        }
    }

    @Test
    void aClearOptOutWinsOverWhateverCameBeforeIt() {
        for (String reply : REPLIES) {
            for (String optOut : CLEAR_OPT_OUTS) {
                for (String separator : List.of(" ", ". ", "\n", ", ", "! ")) {
                    String text = reply + separator + optOut;
                    assertThat(classifier.classify(text, 3).kind()).as("'%s'", text).isEqualTo(ReplyKind.OPT_OUT);
                }
            }
        }
    }

    private static String noise(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(5); i > 0; i--) {
            s.append(NOISE.charAt(random.nextInt(NOISE.length())));
        }
        return s.toString();
    }

    /** Any UTF-16 units at all: controls, unpaired surrogates, emoji, right-to-left marks. */
    static String arbitraryText(Random random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(4)) {
                case 0 -> s.append((char) random.nextInt(0x80));
                case 1 -> s.append((char) random.nextInt(0x10000));
                case 2 -> s.appendCodePoint(0x1F300 + random.nextInt(0x300));
                default -> s.append(" yes no stop 1 2 3 sí para".charAt(random.nextInt(26)));
            }
        }
        return s.toString();
    }
}
