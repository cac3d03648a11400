package dev.followup;

import java.util.Random;

/**
 * Random strings for the tests that compare a hand-written check with the regular expression it
 * replaced: mostly lower-case letters, with characters of an edge-case alphabet mixed in.
 */
public final class RandomText {
    private RandomText() {}

    /**
     * @param random the seeded source
     * @param edgeCases characters to mix in (non-ASCII letters, NUL, lone surrogates, separators)
     * @param oneIn about one character in this many comes from {@code edgeCases}
     * @param maxLength the longest string, inclusive
     * @return a string of 0 to {@code maxLength} characters
     */
    public static String of(Random random, String edgeCases, int oneIn, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(random.nextInt(oneIn) == 0 ? edgeCases.charAt(random.nextInt(edgeCases.length())) : (char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }
}
