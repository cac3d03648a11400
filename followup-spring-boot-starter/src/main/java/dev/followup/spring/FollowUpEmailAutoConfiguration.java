package dev.followup.spring;

import dev.followup.InvalidConfigurationException;
import dev.followup.email.JakartaMailEmailSender;
import dev.followup.email.SmtpSettings;
import dev.followup.spi.EmailSender;
import dev.followup.spring.internal.OnSmtpHostCondition;
import dev.followup.spring.internal.PropertySmtp;
import java.time.Clock;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * The {@link JakartaMailEmailSender}, when followup-email is on the class path and an SMTP host is
 * configured ({@code followup.email.host}, or Spring Boot's {@code spring.mail.host}). Every practice
 * sends through that server. Backs off when the application declares its own {@link EmailSender}.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "followup.enabled", matchIfMissing = true)
@ConditionalOnClass(name = {"dev.followup.email.JakartaMailEmailSender", "jakarta.mail.Session"})
@Conditional(OnSmtpHostCondition.class)
@EnableConfigurationProperties(FollowUpProperties.class)
public final class FollowUpEmailAutoConfiguration {

    /** Created by Spring. */
    public FollowUpEmailAutoConfiguration() {}

    /**
     * @param properties {@code followup.*}
     * @param environment where {@code spring.mail.*} is read
     * @param clock the clock, if any
     * @return the sender
     */
    @Bean
    @ConditionalOnMissingBean(EmailSender.class)
    public JakartaMailEmailSender followUpEmailSender(FollowUpProperties properties, Environment environment, ObjectProvider<Clock> clock) {
        SmtpSettings settings = PropertySmtp.of(properties.getEmail(), environment);
        if (settings.isInsecure() && !properties.getEmail().isAllowInsecureForTesting()) {
            // Found now rather than at the first send, hours later.
            throw new InvalidConfigurationException("followup.email.security=plain-insecure sends mail unencrypted; it is refused"
                    + " unless followup.email.allow-insecure-for-testing=true (for a local test server only)");
        }
        JakartaMailEmailSender.Builder b = JakartaMailEmailSender.builder()
                // Every practice, including those added as beans or later, uses the one configured server.
                .settingsLookup(practiceId -> Optional.of(settings))
                .clock(clock.getIfAvailable(Clock::systemUTC));
        if (properties.getEmail().isAllowInsecureForTesting()) {
            b.allowInsecureSettingsForTesting();
        }
        return b.build();
    }
}
