package dev.followup.message;

import org.jspecify.annotations.Nullable;

/**
 * A template filled in for one patient. PHI: {@link #toString()} leaves the texts out.
 *
 * @param templateName the template it came from
 * @param subject the email subject, null for SMS
 * @param text the text (the SMS body, or the email's plain-text part)
 * @param html the email's HTML part (values escaped), null for SMS
 */
public record RenderedMessage(String templateName, @Nullable String subject, String text, @Nullable String html) {
    @Override
    public String toString() {
        return "RenderedMessage[" + templateName + "]";
    }
}
