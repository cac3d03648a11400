package dev.followup.practice;

import dev.followup.InvalidConfigurationException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A practice: the tenant that owns patients, follow-ups, messages, consent records, tasks, audit
 * events and reports. Immutable; build one with {@link #builder(PracticeId)}.
 */
public final class Practice {
    private final PracticeId id;
    private final String name;
    private final String callbackPhone;
    private final ZoneId timeZone;
    private final @Nullable String smsFrom;
    private final @Nullable String emailFrom;
    private final SendWindow sendWindow;
    private final BusinessCalendar calendar;
    private final ContactLimits contactLimits;
    private final String phoneRegion;
    private final boolean carrierAnswersExactKeywords;
    private final boolean visitTypeInMessages;

    private Practice(Builder b) {
        this.id = b.id;
        this.name = requireText(b.name, "name");
        this.callbackPhone = requireText(b.callbackPhone, "callbackPhone");
        this.timeZone = Objects.requireNonNull(b.timeZone);
        this.smsFrom = b.smsFrom;
        this.emailFrom = b.emailFrom;
        this.sendWindow = b.sendWindow;
        this.calendar = b.calendar;
        this.contactLimits = b.contactLimits;
        this.phoneRegion = b.phoneRegion;
        this.carrierAnswersExactKeywords = b.carrierAnswersExactKeywords;
        this.visitTypeInMessages = b.visitTypeInMessages;
        if (smsFrom == null && emailFrom == null) {
            throw new InvalidConfigurationException("practice " + id + " needs an SMS sender or an email From address");
        }
    }

    private String requireText(@Nullable String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigurationException("practice " + id + " needs a " + field);
        }
        return value.strip();
    }

    /**
     * @param id the practice's id
     * @return a builder; name, callback phone and time zone are required
     */
    public static Builder builder(PracticeId id) {
        return new Builder(id);
    }

    /** @return a builder starting from this practice's settings */
    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.name = name;
        b.callbackPhone = callbackPhone;
        b.timeZone = timeZone;
        b.smsFrom = smsFrom;
        b.emailFrom = emailFrom;
        b.sendWindow = sendWindow;
        b.calendar = calendar;
        b.contactLimits = contactLimits;
        b.phoneRegion = phoneRegion;
        b.carrierAnswersExactKeywords = carrierAnswersExactKeywords;
        b.visitTypeInMessages = visitTypeInMessages;
        return b;
    }

    /** @return the practice's id */
    public PracticeId id() {
        return id;
    }

    /** @return the name patients know, used in every message */
    public String name() {
        return name;
    }

    /** @return the phone number patients can call, as it should be printed in messages */
    public String callbackPhone() {
        return callbackPhone;
    }

    /** @return the practice's time zone, used for patients whose own zone is unknown */
    public ZoneId timeZone() {
        return timeZone;
    }

    /** @return the SMS sender: an E.164 number or a messaging-service id; null if the practice does not text */
    public @Nullable String smsFrom() {
        return smsFrom;
    }

    /** @return the email From address; null if the practice does not email */
    public @Nullable String emailFrom() {
        return emailFrom;
    }

    /** @return when patients may be messaged */
    public SendWindow sendWindow() {
        return sendWindow;
    }

    /** @return the days the practice sends nothing */
    public BusinessCalendar calendar() {
        return calendar;
    }

    /** @return how often a patient may be contacted */
    public ContactLimits contactLimits() {
        return contactLimits;
    }

    /** @return the ISO region for phone numbers written without a country code */
    public String phoneRegion() {
        return phoneRegion;
    }

    /**
     * @return whether the SMS provider itself confirms the exact single-word opt-out keywords
     *     (Twilio does on long codes by default), so the library must not send a second confirmation
     */
    public boolean carrierAnswersExactKeywords() {
        return carrierAnswersExactKeywords;
    }

    /**
     * @return whether messages may name the visit type; off by default (minimum necessary: "a
     *     follow-up visit", not the clinical reason)
     */
    public boolean visitTypeInMessages() {
        return visitTypeInMessages;
    }

    @Override
    public String toString() {
        return "Practice[" + id + "]";
    }

    /** Builds a {@link Practice}; every setter validates at once. */
    public static final class Builder {
        private final PracticeId id;
        private @Nullable String name;
        private @Nullable String callbackPhone;
        private @Nullable ZoneId timeZone;
        private @Nullable String smsFrom;
        private @Nullable String emailFrom;
        private SendWindow sendWindow = SendWindow.defaultWindow();
        private BusinessCalendar calendar = BusinessCalendar.none();
        private ContactLimits contactLimits = ContactLimits.STRICT;
        private String phoneRegion = "US";
        private boolean carrierAnswersExactKeywords = true;
        private boolean visitTypeInMessages;

        private Builder(PracticeId id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        /**
         * @param name the practice's name as patients know it
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * @param phone the callback number as printed in messages, e.g. {@code (555) 010-2000}
         * @return this builder
         */
        public Builder callbackPhone(String phone) {
            this.callbackPhone = phone;
            return this;
        }

        /**
         * @param zone an IANA zone id such as {@code America/Chicago}
         * @return this builder
         */
        public Builder timeZone(String zone) {
            try {
                this.timeZone = ZoneId.of(zone);
            } catch (DateTimeException e) {
                throw new InvalidConfigurationException("practice " + id + ": unknown time zone '" + zone + "'", e);
            }
            return this;
        }

        /**
         * @param zone the practice's zone
         * @return this builder
         */
        public Builder timeZone(ZoneId zone) {
            this.timeZone = Objects.requireNonNull(zone);
            return this;
        }

        /**
         * @param from an E.164 number or a messaging-service id
         * @return this builder
         */
        public Builder smsFrom(String from) {
            this.smsFrom = from;
            return this;
        }

        /**
         * @param from the email From address
         * @return this builder
         */
        public Builder emailFrom(String from) {
            if (from != null && !from.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                throw new InvalidConfigurationException("practice " + id + ": email From is not an address");
            }
            this.emailFrom = from;
            return this;
        }

        /**
         * @param window when patients may be messaged
         * @return this builder
         */
        public Builder sendWindow(SendWindow window) {
            this.sendWindow = Objects.requireNonNull(window);
            return this;
        }

        /**
         * @param calendar the closed days
         * @return this builder
         */
        public Builder calendar(BusinessCalendar calendar) {
            this.calendar = Objects.requireNonNull(calendar);
            return this;
        }

        /**
         * @param limits how often a patient may be contacted
         * @return this builder
         */
        public Builder contactLimits(ContactLimits limits) {
            this.contactLimits = Objects.requireNonNull(limits);
            return this;
        }

        /**
         * @param region ISO 3166 region code for numbers without a country code
         * @return this builder
         */
        public Builder phoneRegion(String region) {
            if (region == null || !region.matches("[A-Z]{2}")) {
                throw new InvalidConfigurationException("practice " + id + ": phone region must be an upper-case ISO 3166 code such as US");
            }
            this.phoneRegion = region;
            return this;
        }

        /**
         * @param answers true (the default) when the SMS provider confirms STOP, UNSUBSCRIBE and
         *     the other exact keywords itself; false to have the library confirm every opt-out
         * @return this builder
         */
        public Builder carrierAnswersExactKeywords(boolean answers) {
            this.carrierAnswersExactKeywords = answers;
            return this;
        }

        /**
         * @param allowed opt in to naming the visit type in messages
         * @return this builder
         */
        public Builder visitTypeInMessages(boolean allowed) {
            this.visitTypeInMessages = allowed;
            return this;
        }

        /** @return the practice @throws InvalidConfigurationException if a required setting is missing */
        public Practice build() {
            if (timeZone == null) {
                throw new InvalidConfigurationException("practice " + id + " needs a time zone");
            }
            return new Practice(this);
        }
    }
}
