package dev.followup.twilio;

import dev.followup.FollowUpException;

/**
 * A webhook request that cannot be shown to come from Twilio: its {@code X-Twilio-Signature} is
 * missing or wrong, or it names a practice or account this deployment does not serve. Answer it
 * with HTTP 403 and do nothing else: it was rejected before anything in it was parsed or stored.
 */
public final class TwilioSignatureException extends FollowUpException {
    private static final long serialVersionUID = 1L;

    /** @param message why the request was rejected, with ids only */
    public TwilioSignatureException(String message) {
        super(message);
    }

    /** @return the HTTP status to answer with: 403 */
    public int httpStatus() {
        return 403;
    }
}
