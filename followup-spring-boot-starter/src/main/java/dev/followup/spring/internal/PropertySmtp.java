package dev.followup.spring.internal;

import dev.followup.InvalidConfigurationException;
import dev.followup.email.SmtpSecurity;
import dev.followup.email.SmtpSettings;
import dev.followup.spring.FollowUpProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * The SMTP settings from {@code followup.email.*}, falling back to Spring Boot's
 * {@code spring.mail.host/port/username/password} so that an application that already configures
 * mail need not repeat it.
 */
public final class PropertySmtp {
    private PropertySmtp() {}

    /**
     * @param email the email properties
     * @param environment where {@code spring.mail.*} is read
     * @return the settings
     * @throws InvalidConfigurationException naming the property, if a value is invalid
     */
    public static SmtpSettings of(FollowUpProperties.Email email, Environment environment) {
        String host = firstText(email.getHost(), environment.getProperty("spring.mail.host"));
        if (host == null) {
            throw new InvalidConfigurationException("followup.email.host (or spring.mail.host) is required for email");
        }
        try {
            SmtpSettings.Builder b = SmtpSettings.builder(host.strip()).security(SmtpSecurity.valueOf(email.getSecurity().name()))
                    .connectTimeout(email.getConnectTimeout()).readTimeout(email.getReadTimeout());
            Integer port = email.getPort() != null ? email.getPort() : environment.getProperty("spring.mail.port", Integer.class);
            if (port != null) {
                b.port(port);
            }
            String username = firstText(email.getUsername(), environment.getProperty("spring.mail.username"));
            if (username != null) {
                String password = firstText(email.getPassword(), environment.getProperty("spring.mail.password"));
                b.credentials(username, password == null ? "" : password);
            }
            if (email.getFromAddress() != null) {
                if (email.getFromName() != null) {
                    b.from(email.getFromAddress(), email.getFromName());
                } else {
                    b.fromAddress(email.getFromAddress());
                }
            }
            if (email.getReplyTo() != null) {
                b.replyTo(email.getReplyTo());
            }
            if (email.getHeloName() != null) {
                b.heloName(email.getHeloName());
            }
            return b.build();
        } catch (InvalidConfigurationException e) {
            throw new InvalidConfigurationException("followup.email: " + e.getMessage(), e);
        }
    }

    private static @Nullable String firstText(@Nullable String first, @Nullable String second) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        return second != null && !second.isBlank() ? second : null;
    }
}
