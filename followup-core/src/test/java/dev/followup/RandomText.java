package dev.followup;

import java.util.Random;
import java.util.function.Consumer;

/**
 * Random strings for the tests that compare a hand-written check with the regular expression it
 * replaced: mostly lower-case letters, with characters of an edge-case alphabet mixed in.
 */
public final class RandomText {
    /** How many strings {@link #forEach} draws: enough to hit every edge case at every length many times. */
    public static final int CASES = 200_000;

    private RandomText() {}

    /**
     * Hands {@link #CASES} strings drawn from a seeded source to {@code check}, the same ones on every run.
     *
     * @param seed the source's seed
     * @param edgeCases characters to mix in (non-ASCII letters, NUL, lone surrogates, separators)
     * @param oneIn about one character in this many comes from {@code edgeCases}; 1 for all of them
     * @param maxLength the longest string, inclusive
     * @param check asserts that the new check and the old expression agree on one string
     */
    public static void forEach(long seed, String edgeCases, int oneIn, int maxLength, Consumer<String> check) {
        Random random = new Random(seed);
        for (int n = 0; n < CASES; n++) {
            check.accept(of(random, edgeCases, oneIn, maxLength));
        }
    }

    private static String of(Random random, String edgeCases, int oneIn, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(random.nextInt(oneIn) == 0 ? edgeCases.charAt(random.nextInt(edgeCases.length())) : (char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }
}
