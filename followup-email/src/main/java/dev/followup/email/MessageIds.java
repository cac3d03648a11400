package dev.followup.email;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Derives an email's Message-ID from its send attempt, {@code <attemptId@followup.domain-of-from>},
 * so that the same attempt always gets the same id: a retry is recognisable, and a patient's reply
 * (whose In-Reply-To names the id) leads back to the attempt.
 */
final class MessageIds {
    /** Keeps the header far below the 998-character line limit, whatever the engine uses as ids. */
    private static final int MAX_LOCAL_PART = 128;

    private MessageIds() {}

    /**
     * @param attemptId the send attempt's id, any characters
     * @param fromAddress the effective From address, already validated
     * @return the Message-ID with its angle brackets
     * @throws IllegalArgumentException if the From domain is not a valid (internationalised) domain
     */
    static String forAttempt(String attemptId, String fromAddress) {
        String domain = fromAddress.substring(fromAddress.lastIndexOf('@') + 1);
        String asciiDomain = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        return "<" + localPart(attemptId) + "@followup." + asciiDomain + ">";
    }

    /**
     * Letters, digits, '-' and '_' pass unchanged (UUIDs and ULIDs stay readable); every other byte
     * becomes {@code =XX}, '=' included, so that two attempt ids never share a Message-ID and the
     * result is a valid dot-atom whatever the attempt id holds (spaces, '@', '>', non-ASCII).
     */
    private static String localPart(String attemptId) {
        StringBuilder out = new StringBuilder(attemptId.length());
        for (byte b : attemptId.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                out.append(c);
            } else {
                out.append('=').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        if (out.length() <= MAX_LOCAL_PART) {
            return out.toString();
        }
        // Prefixed so that it cannot collide with a short id spelled out in full.
        return "sha256=" + HexFormat.of().formatHex(sha256(attemptId));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
