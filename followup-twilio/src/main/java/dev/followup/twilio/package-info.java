/**
 * Text messages over Twilio: {@link dev.followup.twilio.TwilioSmsSender} (the {@code SmsSender}
 * port over the official SDK, one REST client per practice, exactly one HTTP request per send),
 * {@link dev.followup.twilio.TwilioWebhooks} (signature check, then inbound messages and status
 * callbacks parsed into the core's records, for any web framework) and
 * {@link dev.followup.twilio.TwilioRedactionJob} (erasing message bodies at Twilio for a list of
 * SIDs the host keeps itself).
 *
 * <p>Retention: with {@code FollowUpEngine.Builder.redactProviderCopies(true)} the engine's purge
 * asks Twilio, through {@link dev.followup.twilio.TwilioSmsSender#redact}, to erase every text past
 * retention, sent and received alike. Its store remembers each copy until Twilio confirms erasing
 * it: a copy Twilio refuses (a message not yet in a final status) or that cannot be asked about (a
 * network error, a 5xx) is asked for again on later runs, and given up on, audited and logged with
 * its ids, only after the engine's bound of tries.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.twilio;

import org.jspecify.annotations.NullMarked;
