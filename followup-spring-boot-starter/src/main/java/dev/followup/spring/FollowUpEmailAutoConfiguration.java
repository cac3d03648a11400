package dev.followup.spring;

import dev.followup.FollowUpEngine;
import dev.followup.InvalidConfigurationException;
import dev.followup.email.JakartaMailEmailSender;
import dev.followup.email.SmtpSettings;
import dev.followup.practice.Practice;
import dev.followup.spi.EmailSender;
import dev.followup.spring.internal.OnSmtpHostCondition;
import dev.followup.spring.internal.PropertySmtp;
import java.time.Clock;
import java.util.Optional;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
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
 *
 * <p>The engine sends no email for a practice without a From address. When the starter's sender is
 * in use and a practice from {@code followup.practices} or a {@link Practice} bean runs a policy
 * with an email step but has no From (neither its own {@code email-from} nor
 * {@code followup.email.from-address}), the application does not start: the failure names the
 * practice, rather than its emails being skipped unnoticed. A practice added by a
 * {@link FollowUpEngineCustomizer} is not checked: the starter does not see which policies it runs.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "followup.enabled", matchIfMissing = true)
@ConditionalOnClass(name = {"dev.followup.email.JakartaMailEmailSender", "jakarta.mail.Session"})
@Conditional(OnSmtpHostCondition.class)
@EnableConfigurationProperties(FollowUpProperties.class)
public final class FollowUpEmailAutoConfiguration {

    private static final String SENDER_BEAN = "followUpEmailSender";

    /** Created by Spring. */
    public FollowUpEmailAutoConfiguration() {}

    /**
     * @param properties {@code followup.*}
     * @param environment where {@code spring.mail.*} is read
     * @param clock the clock, if any
     * @return the sender
     */
    @Bean(SENDER_BEAN)
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

    /**
     * Once every bean exists: when the starter's sender is in use, every practice of the engine
     * (from {@code followup.practices}, {@link Practice} beans or a customizer) whose policies send
     * email must have a From address; the engine skips the email steps of one without.
     *
     * @param engine the engine, if any
     * @param beans to find out whether the starter's sender is in use
     * @return the check
     * @throws InvalidConfigurationException at start-up, naming the first such practice, its policy and what to set
     */
    @Bean
    SmartInitializingSingleton followUpEmailFromCheck(ObjectProvider<FollowUpEngine> engine, BeanFactory beans) {
        return () -> {
            FollowUpEngine theEngine = engine.getIfUnique();
            // An application's own EmailSender may have reasons of its own: only the starter's set-up is checked.
            if (theEngine == null || !beans.containsBean(SENDER_BEAN)) {
                return;
            }
            theEngine.practicesEmailingWithoutFrom().entrySet().stream().findFirst().ifPresent(e -> {
                throw new InvalidConfigurationException("practice " + e.getKey() + " runs policy '" + e.getValue()
                        + "', which sends email, but has no email From address, so none of its email would be sent: set"
                        + " followup.email.from-address (used by every practice of followup.practices without its own), or"
                        + " the practice's own email-from (followup.practices[n].email-from, or Practice.builder().emailFrom(...)"
                        + " for a Practice bean), or give it a policy without an email step");
            });
        };
    }
}
