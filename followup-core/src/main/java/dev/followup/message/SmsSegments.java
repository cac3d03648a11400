package dev.followup.message;

import dev.followup.InvalidInputException;

/**
 * Counts the segments an SMS body is sent (and billed) as, the way carriers and Twilio split it.
 *
 * <p>A body that uses only the GSM 03.38 default alphabet and its extension table is sent as
 * {@link SmsEncoding#GSM_7}: 160 septets fit in one segment, 153 per segment once split (the rest
 * of each segment holds the concatenation header). Extension-table characters ({@code ^ { } \ [ ~
 * ] |}, {@code €} and form feed) take two septets. A single character outside that alphabet (an
 * emoji, a curly quote, an en or em dash, a lower-case {@code ç}) sends the whole body as {@link
 * SmsEncoding#UCS_2}: 70 UTF-16 code units in one segment, 67 once split.
 *
 * <p>Segments are counted by packing characters greedily, not by dividing: an extension
 * character's two septets, and a surrogate pair's two code units, are never split across segments,
 * so a boundary can leave one unit unused. Plain division would under-count such bodies.
 *
 * <p>Twilio's "smart encoding" (replacing curly quotes and the like by GSM look-alikes) is not
 * assumed: the count is for the body exactly as given.
 */
public final class SmsSegments {
    /** The longest body Twilio accepts, in characters (UTF-16 code units). */
    public static final int MAX_BODY_CHARS = 1600;

    static final int GSM_SINGLE = 160;
    static final int GSM_MULTI = 153;
    static final int UCS_SINGLE = 70;
    static final int UCS_MULTI = 67;

    /**
     * The GSM 03.38 default alphabet in table order, 0x00 to 0x7F, without the escape at 0x1B.
     * Position 0x09 is the upper-case {@code Ç} the standard defines (some phones show it as
     * {@code ç}, but carriers transcode {@code ç} to UCS-2).
     */
    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    /** The extension table: each is sent as escape plus one septet. */
    private static final String GSM_EXTENSION = "\f^{}\\[~]|€";

    /** Lookup limit: every GSM character but {@code €} lies below it (the Greek capitals end at U+03A9). */
    private static final int TABLE_SIZE = 0x400;

    /** Septets per character below {@link #TABLE_SIZE}; 0 means "not GSM-7". */
    private static final byte[] SEPTETS = new byte[TABLE_SIZE];

    private static final char EURO = '€';

    static {
        for (int i = 0; i < GSM_BASIC.length(); i++) {
            SEPTETS[GSM_BASIC.charAt(i)] = 1;
        }
        for (int i = 0; i < GSM_EXTENSION.length(); i++) {
            char c = GSM_EXTENSION.charAt(i);
            if (c < TABLE_SIZE) {
                SEPTETS[c] = 2;
            }
        }
    }

    private SmsSegments() {
    }

    /**
     * Counts how a body is encoded and how many segments it takes.
     *
     * <p>An empty body counts as 0 units in 0 segments (GSM-7): nothing would be billed, and Twilio
     * refuses an empty body anyway, so callers must not send one. A body longer than {@link
     * #MAX_BODY_CHARS} is still counted; rejecting it is the sender's decision.
     *
     * @param body the exact text to send
     * @return the encoding, units and segments; never null
     * @throws InvalidInputException if {@code body} is null (the message names no text)
     */
    public static SegmentCount count(String body) {
        if (body == null) {
            throw new InvalidInputException("SMS body is required to count segments");
        }
        if (body.isEmpty()) {
            return new SegmentCount(SmsEncoding.GSM_7, 0, 0);
        }
        int septets = gsmSeptets(body);
        return septets >= 0 ? countGsm(body, septets) : countUcs2(body);
    }

    /** @return the body's septets in GSM-7, or -1 as soon as one character needs UCS-2 */
    private static int gsmSeptets(String body) {
        int total = 0;
        for (int i = 0; i < body.length(); i++) {
            int septets = septetsOf(body.charAt(i));
            if (septets == 0) {
                return -1;
            }
            total += septets;
        }
        return total;
    }

    private static int septetsOf(char c) {
        if (c < TABLE_SIZE) {
            return SEPTETS[c];
        }
        return c == EURO ? 2 : 0;
    }

    private static SegmentCount countGsm(String body, int septets) {
        if (septets <= GSM_SINGLE) {
            return new SegmentCount(SmsEncoding.GSM_7, septets, 1);
        }
        int segments = 1;
        int fill = 0;
        for (int i = 0; i < body.length(); i++) {
            int cost = septetsOf(body.charAt(i));
            if (fill + cost > GSM_MULTI) {
                segments++;
                fill = 0;
            }
            fill += cost;
        }
        return new SegmentCount(SmsEncoding.GSM_7, septets, segments);
    }

    private static SegmentCount countUcs2(String body) {
        int units = body.length();
        if (units <= UCS_SINGLE) {
            return new SegmentCount(SmsEncoding.UCS_2, units, 1);
        }
        int segments = 1;
        int fill = 0;
        int i = 0;
        while (i < units) {
            // A well-formed surrogate pair is one character: it travels whole. An unpaired
            // surrogate (malformed input) is counted as the single unit it is.
            int cost = Character.charCount(body.codePointAt(i));
            if (fill + cost > UCS_MULTI) {
                segments++;
                fill = 0;
            }
            fill += cost;
            i += cost;
        }
        return new SegmentCount(SmsEncoding.UCS_2, units, segments);
    }
}
