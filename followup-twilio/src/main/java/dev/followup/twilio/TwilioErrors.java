package dev.followup.twilio;

import dev.followup.spi.SendResult;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Twilio's answers to a send, sorted into what the engine does next. Twilio's own error
 * messages are never used: they repeat the recipient's number.
 */
final class TwilioErrors {
    /** The recipient replied STOP to this sender (or the carrier blocked it): record an opt-out, never retry. */
    static final int OPTED_OUT = 21610;
    /** Twilio's authentication failure. */
    static final int AUTHENTICATION = 20003;

    /**
     * The recipient cannot be texted from this sender: invalid 'To' (21211), cannot route
     * (21612), not a mobile number (21614), region not enabled (21408), sender not capable for
     * this destination (21606), and the carrier's undeliverable family 30003–30008.
     */
    private static final Set<Integer> RECIPIENT_UNREACHABLE = Set.of(
            21211, 21612, 21614, 21408, 21606, 30003, 30004, 30005, 30006, 30007, 30008);

    /**
     * Refused before processing, so a later retry is safe: too many requests (20429), the
     * sender's queue holds 10 hours already (21611), the sender's rate limit (14107).
     */
    private static final Set<Integer> NOT_PROCESSED = Set.of(20429, 21611, 14107);

    /**
     * The practice's sender is misconfigured, whoever the recipient: invalid 'From' (21212),
     * not a Twilio number (21659), not this account's number (21660). Every send would fail the
     * same way, so it is a configuration error, not the patient's.
     */
    private static final Set<Integer> SENDER_MISCONFIGURED = Set.of(21212, 21659, 21660);

    private TwilioErrors() {
    }

    /**
     * @param httpStatus the HTTP status of Twilio's answer
     * @param code Twilio's error code, if the body carried one
     * @return whether the answer means the practice's credentials were refused
     */
    static boolean isAuthenticationFailure(int httpStatus, @Nullable Integer code) {
        return httpStatus == 401 || (code != null && code == AUTHENTICATION);
    }

    /**
     * @param code Twilio's error code, if any
     * @return whether the answer means the practice's sender is misconfigured
     */
    static boolean isSenderMisconfigured(@Nullable Integer code) {
        return code != null && SENDER_MISCONFIGURED.contains(code);
    }

    /**
     * Sorts an error answer (HTTP 4xx or 5xx) that is not a configuration error.
     *
     * @param httpStatus the HTTP status
     * @param code Twilio's error code, if the body carried one
     * @param retryAfter the Retry-After hint, if any
     * @return the result for the engine
     */
    static SendResult classify(int httpStatus, @Nullable Integer code, @Nullable Duration retryAfter) {
        String codeText = code == null ? null : code.toString();
        if (code != null && code == OPTED_OUT) {
            return SendResult.optedOut(codeText);
        }
        if (httpStatus == 429 || (code != null && NOT_PROCESSED.contains(code))) {
            return SendResult.transientFailure(codeText == null ? "429" : codeText, "Twilio refused the request before processing it (HTTP " + httpStatus + ")", retryAfter);
        }
        if (code != null && RECIPIENT_UNREACHABLE.contains(code)) {
            return SendResult.permanentFailure(codeText, "Twilio cannot reach the recipient from this sender (HTTP " + httpStatus + ")");
        }
        if (httpStatus >= 500) {
            // The request reached Twilio and may have been processed before the error.
            return SendResult.unknown(codeText, "Twilio answered HTTP " + httpStatus + "; the message may have been sent");
        }
        // Any other 4xx: Twilio refused this request as made, and would refuse it again.
        return SendResult.permanentFailure(codeText, "Twilio refused the request (HTTP " + httpStatus + ")");
    }
}
