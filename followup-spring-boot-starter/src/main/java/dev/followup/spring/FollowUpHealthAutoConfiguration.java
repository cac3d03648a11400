package dev.followup.spring;

import dev.followup.FollowUpEngine;
import dev.followup.spring.internal.EngineHealthIndicator;
import dev.followup.spring.internal.EngineScheduler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * A health indicator named {@code followup} (spring-boot-health on the class path, e.g. through
 * the actuator): DOWN when the store cannot be reached or due work is behind by more than
 * {@code followup.health.max-lag}; details show the oldest overdue step's age, the configured
 * providers and the scheduler. Switched off with {@code management.health.followup.enabled=false}.
 */
@AutoConfiguration(after = {FollowUpAutoConfiguration.class, FollowUpSchedulingAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "followup.enabled", matchIfMissing = true)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(FollowUpEngine.class)
@ConditionalOnEnabledHealthIndicator("followup")
@EnableConfigurationProperties(FollowUpProperties.class)
public final class FollowUpHealthAutoConfiguration {

    /** Created by Spring. */
    public FollowUpHealthAutoConfiguration() {}

    /**
     * @param engine the engine
     * @param properties {@code followup.*}
     * @param scheduler the starter's scheduler, if scheduling is on and not replaced
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "followupHealthIndicator")
    HealthIndicator followupHealthIndicator(FollowUpEngine engine, FollowUpProperties properties,
            ObjectProvider<EngineScheduler> scheduler) {
        // Only this one bean: asking for every SmartLifecycle would create the application's own
        // lifecycles too, and one that needs this indicator would make a dependency cycle.
        return new EngineHealthIndicator(engine, properties.getHealth().getMaxLag(), scheduler.getIfUnique());
    }
}
