/**
 * Text messages over Twilio: {@link dev.followup.twilio.TwilioSmsSender} (the {@code SmsSender}
 * port over the official SDK, one REST client per practice, exactly one HTTP request per send),
 * {@link dev.followup.twilio.TwilioWebhooks} (signature check, then inbound messages and status
 * callbacks parsed into the core's records, for any web framework) and
 * {@link dev.followup.twilio.TwilioRedactionJob} (erasing message bodies at Twilio after retention).
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.twilio;

import org.jspecify.annotations.NullMarked;
