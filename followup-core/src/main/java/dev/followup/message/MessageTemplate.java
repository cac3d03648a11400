package dev.followup.message;

import dev.followup.InvalidConfigurationException;
import dev.followup.followup.Channel;
import dev.followup.patient.Language;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A message text with named placeholders such as {@code {firstName}}, for one channel and
 * language. Placeholders are checked when the template is made: an unknown name is a configuration
 * error, never a blank in a patient's text. SMS and email templates must name the practice, give
 * its phone and say how to opt out (the word STOP), as the healthcare-message exemption requires;
 * the opt-out confirmation itself is the one exception.
 *
 * @param name what the template is for, e.g. {@code invite}
 * @param channel SMS or EMAIL
 * @param language the language it is written in
 * @param providerId only for this provider, or null for all
 * @param typeCode only for this follow-up type, or null for all
 * @param subject the email subject (null for SMS)
 * @param body the text
 */
public record MessageTemplate(
        String name,
        Channel channel,
        Language language,
        @Nullable String providerId,
        @Nullable String typeCode,
        @Nullable String subject,
        String body) {

    /** Placeholder: the patient's first name (the last name when the list gives none). */
    public static final String FIRST_NAME = "firstName";
    /** Placeholder: the patient's last name. */
    public static final String LAST_NAME = "lastName";
    /** Placeholder: the provider the follow-up is with (the practice's name when there is none). */
    public static final String PROVIDER_NAME = "providerName";
    /** Placeholder: the practice's name. */
    public static final String PRACTICE_NAME = "practiceName";
    /** Placeholder: the practice's callback number. */
    public static final String PRACTICE_PHONE = "practicePhone";
    /** The placeholder that names the visit type: allowed only where the practice opts in. */
    public static final String VISIT_TYPE = "visitType";
    /** Placeholder: the numbered list of offered slots. */
    public static final String SLOT_LIST = "slotList";
    /** Placeholder: the booked slot's time. */
    public static final String SLOT_TIME = "slotTime";
    /** The placeholders a template may use. */
    public static final Set<String> PLACEHOLDERS = Set.of(FIRST_NAME, LAST_NAME, PROVIDER_NAME, PRACTICE_NAME, PRACTICE_PHONE, VISIT_TYPE,
            SLOT_LIST, SLOT_TIME);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    /** Validates the template. */
    public MessageTemplate {
        if (name == null || !name.matches("[a-z0-9-]{1,40}") || channel == null || language == null || body == null || body.isBlank()) {
            throw new InvalidConfigurationException("template '" + name + "' needs a lower-case name, a channel, a language and a body");
        }
        if (channel == Channel.STAFF_CALL) {
            throw new InvalidConfigurationException("template '" + name + "': staff calls have no template");
        }
        if (channel == Channel.EMAIL && (subject == null || subject.isBlank())) {
            throw new InvalidConfigurationException("email template '" + name + "' (" + language + ") needs a subject");
        }
        for (String used : placeholdersIn(body + " " + (subject == null ? "" : subject))) {
            if (!PLACEHOLDERS.contains(used)) {
                throw new InvalidConfigurationException("template '" + name + "' (" + language + ") uses unknown placeholder {"
                        + used + "}; known: " + new java.util.TreeSet<>(PLACEHOLDERS));
            }
        }
        if (!body.contains("{practiceName}") || !body.contains("{practicePhone}")) {
            throw new InvalidConfigurationException("template '" + name + "' (" + language
                    + ") must name the practice and its phone: use {practiceName} and {practicePhone}");
        }
        if (!name.equals(TemplateNames.OPT_OUT_CONFIRMATION) && !body.toUpperCase(Locale.ROOT).contains("STOP")) {
            throw new InvalidConfigurationException("template '" + name + "' (" + language + ") must say how to opt out (the word STOP)");
        }
    }

    /**
     * @param name the template's purpose
     * @param language its language
     * @param body the text
     * @return an SMS template for every provider and type
     */
    public static MessageTemplate sms(String name, Language language, String body) {
        return new MessageTemplate(name, Channel.SMS, language, null, null, null, body);
    }

    /**
     * @param name the template's purpose
     * @param language its language
     * @param subject the subject line
     * @param body the plain-text body (the HTML part is rendered from it, escaped)
     * @return an email template for every provider and type
     */
    public static MessageTemplate email(String name, Language language, String subject, String body) {
        return new MessageTemplate(name, Channel.EMAIL, language, null, null, subject, body);
    }

    /**
     * @param providerId a provider's id
     * @return this template, restricted to that provider
     */
    public MessageTemplate forProvider(String providerId) {
        return new MessageTemplate(name, channel, language, providerId, typeCode, subject, body);
    }

    /**
     * @param code a follow-up type's code
     * @return this template, restricted to that type
     */
    public MessageTemplate forType(String code) {
        return new MessageTemplate(name, channel, language, providerId, code, subject, body);
    }

    /** @return the placeholders the subject and body use */
    public Set<String> placeholders() {
        return placeholdersIn(body + " " + (subject == null ? "" : subject));
    }

    private static Set<String> placeholdersIn(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * Fills the placeholders.
     *
     * @param text the subject or body
     * @param values the value of every placeholder used
     * @param escapeHtml whether to escape the values for HTML
     * @return the filled text
     * @throws InvalidConfigurationException if a used placeholder has no value
     */
    static String fill(String text, java.util.Map<String, String> values, boolean escapeHtml) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 64);
        List<String> missing = new ArrayList<>();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                missing.add(m.group(1));
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(escapeHtml ? HtmlText.escape(value) : value));
        }
        m.appendTail(out);
        if (!missing.isEmpty()) {
            throw new InvalidConfigurationException("no value for placeholders " + missing);
        }
        return out.toString();
    }
}
