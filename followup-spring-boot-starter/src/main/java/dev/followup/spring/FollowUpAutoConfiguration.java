package dev.followup.spring;

import dev.followup.FollowUpEngine;
import dev.followup.InvalidConfigurationException;
import dev.followup.policy.EscalationPolicy;
import dev.followup.practice.Practice;
import dev.followup.spi.AppointmentBooker;
import dev.followup.spi.EmailSender;
import dev.followup.spi.EngineListener;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.SlotProvider;
import dev.followup.spi.SmsSender;
import dev.followup.spi.TaskSink;
import dev.followup.spring.internal.ConfiguredPractices;
import dev.followup.spring.internal.PropertyPolicies;
import dev.followup.spring.internal.PropertyPractices;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The engine and its clock. The engine is built from, in this order: the clock, the
 * {@link FollowUpStore} bean (see {@link FollowUpJdbcAutoConfiguration}), the SMS and email sender
 * beans, slot provider, appointment booker and task sink beans if any, the {@code followup.engine.*}
 * settings, the policies from {@code followup.policies} and then every {@link EscalationPolicy}
 * bean, the practices from {@code followup.practices} and then every {@link Practice} bean, every
 * {@link EngineListener} bean, and last every {@link FollowUpEngineCustomizer} bean in order.
 */
@AutoConfiguration(after = {FollowUpJdbcAutoConfiguration.class, FollowUpTwilioAutoConfiguration.class,
        FollowUpEmailAutoConfiguration.class, FollowUpMetricsAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "followup.enabled", matchIfMissing = true)
@EnableConfigurationProperties(FollowUpProperties.class)
public final class FollowUpAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(FollowUpAutoConfiguration.class);

    /** Created by Spring. */
    public FollowUpAutoConfiguration() {}

    /** @return the system UTC clock, the engine's only source of time */
    @Bean
    @ConditionalOnMissingBean
    public Clock followUpClock() {
        return Clock.systemUTC();
    }

    /**
     * @param properties {@code followup.*}
     * @return the practices of {@code followup.practices}, converted once: the engine serves these very objects,
     *     and the Twilio wiring reads them from the engine
     * @throws InvalidConfigurationException naming the property, if a practice is missing or invalid
     */
    @Bean
    ConfiguredPractices followUpPropertyPractices(FollowUpProperties properties) {
        return new ConfiguredPractices(properties);
    }

    /**
     * @param properties {@code followup.*}
     * @param propertyPractices the practices of {@code followup.practices}
     * @param clock the clock
     * @param store the store (required)
     * @param sms the SMS sender, if any
     * @param email the email sender, if any
     * @param slots the slot provider, if any
     * @param booker the appointment booker, if any
     * @param taskSink the host's task queue, if any
     * @param practices practice beans
     * @param policies policy beans
     * @param listeners listener beans
     * @param customizers customizer beans, applied last
     * @return the engine
     * @throws InvalidConfigurationException if there is no store or no practice, or a setting is invalid
     */
    @Bean
    @ConditionalOnMissingBean
    FollowUpEngine followUpEngine(FollowUpProperties properties, ConfiguredPractices propertyPractices, Clock clock,
            ObjectProvider<FollowUpStore> store, ObjectProvider<SmsSender> sms, ObjectProvider<EmailSender> email,
            ObjectProvider<SlotProvider> slots, ObjectProvider<AppointmentBooker> booker, ObjectProvider<TaskSink> taskSink,
            ObjectProvider<Practice> practices, ObjectProvider<EscalationPolicy> policies, ObjectProvider<EngineListener> listeners,
            ObjectProvider<FollowUpEngineCustomizer> customizers) {
        FollowUpStore theStore = store.getIfAvailable();
        if (theStore == null) {
            throw new InvalidConfigurationException("the engine needs a FollowUpStore: give the application a DataSource (for"
                    + " example spring-boot-starter-jdbc with H2 or PostgreSQL) for the JDBC store, or declare a FollowUpStore bean");
        }
        FollowUpEngine.Builder builder = FollowUpEngine.builder().clock(clock).store(theStore);
        sms.ifAvailable(builder::smsSender);
        email.ifAvailable(builder::emailSender);
        slots.ifAvailable(builder::slotProvider);
        booker.ifAvailable(builder::appointmentBooker);
        taskSink.ifAvailable(builder::taskSink);

        FollowUpProperties.Engine engine = properties.getEngine();
        if (engine.getNodeId() != null && !engine.getNodeId().isBlank()) {
            builder.nodeId(engine.getNodeId().strip());
        }
        builder.batchSize(engine.getBatchSize()).lease(engine.getLease()).maxTransientRetries(engine.getMaxTransientRetries())
                .retention(engine.getRetention()).redactProviderCopies(engine.isRedactProviderCopies())
                .providerRedactionTries(engine.getProviderRedactionTries());

        PropertyPolicies.of(properties).forEach(builder::policy);
        policies.orderedStream().forEach(builder::policy);
        for (PropertyPractices.Configured c : propertyPractices.configured()) {
            builder.practice(c.practice(), c.settings());
            if (c.sendRate() != null && c.practice().smsFrom() != null) {
                builder.sendRate(c.practice().smsFrom(), c.sendRate());
            }
        }
        practices.orderedStream().forEach(builder::practice);
        listeners.orderedStream().forEach(builder::listener);
        customizers.orderedStream().forEach(c -> c.customize(builder));

        FollowUpEngine built = builder.build();
        if (!built.templateWarnings().isEmpty()) {
            // Flagged, not refused: a longer text costs more segments. One line, the details at DEBUG.
            LOG.info("{} SMS template(s) take more than one segment with typical values (DEBUG {} lists them)",
                    built.templateWarnings().size(), FollowUpAutoConfiguration.class.getName());
            built.templateWarnings().forEach(w -> LOG.debug("template note: {}", w));
        }
        LOG.info("Followup engine ready: {} practice(s), SMS {}, email {}", built.practices().size(),
                sms.getIfAvailable() == null ? "off" : "on", email.getIfAvailable() == null ? "off" : "on");
        return built;
    }
}
