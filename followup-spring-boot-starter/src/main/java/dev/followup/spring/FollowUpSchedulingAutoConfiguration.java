package dev.followup.spring;

import dev.followup.FollowUpEngine;
import dev.followup.spring.internal.EngineScheduler;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the engine's due work every {@code followup.engine.poll-interval} on
 * {@code followup.engine.workers} threads of its own, and purges expired message bodies every {@code followup.engine.purge-interval}; stops gracefully
 * on shutdown (see {@code followup.engine.shutdown-timeout}). Switched off with
 * {@code followup.engine.scheduler-enabled=false}, e.g. on nodes that only serve webhooks.
 */
@AutoConfiguration(after = FollowUpAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "followup.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "followup.engine.scheduler-enabled", matchIfMissing = true)
@ConditionalOnBean(FollowUpEngine.class)
@EnableConfigurationProperties(FollowUpProperties.class)
public final class FollowUpSchedulingAutoConfiguration {

    /** Created by Spring. */
    public FollowUpSchedulingAutoConfiguration() {}

    /**
     * @param engine the engine
     * @param clock the engine's clock
     * @param properties {@code followup.*}
     * @return the scheduler, a {@link SmartLifecycle} started after the rest of the context; declared
     *     as its own type so that the health indicator can ask for exactly this bean
     */
    @Bean
    @ConditionalOnMissingBean(name = "followUpEngineScheduler")
    EngineScheduler followUpEngineScheduler(FollowUpEngine engine, Clock clock, FollowUpProperties properties) {
        FollowUpProperties.Engine e = properties.getEngine();
        return new EngineScheduler(engine, clock, e.getWorkers(), e.getPollInterval(), e.getPurgeInterval(), e.getShutdownTimeout());
    }
}
