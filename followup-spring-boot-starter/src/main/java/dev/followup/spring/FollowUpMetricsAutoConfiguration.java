package dev.followup.spring;

import dev.followup.spi.EngineListener;
import dev.followup.spring.internal.MicrometerEngineListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for the engine, when Micrometer and a {@link MeterRegistry} bean are present
 * (e.g. through the actuator): messages by channel and state, delivery statuses, replies by kind,
 * opt-outs, staff tasks opened, how late due steps are taken up, and claim batch sizes. Tags carry
 * enum values and the practice id ({@code followup.metrics.practice-tag}), never PHI.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "followup.enabled", matchIfMissing = true)
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnBean(MeterRegistry.class)
@EnableConfigurationProperties(FollowUpProperties.class)
public final class FollowUpMetricsAutoConfiguration {

    /** Created by Spring. */
    public FollowUpMetricsAutoConfiguration() {}

    /**
     * @param registry the registry
     * @param properties {@code followup.*}
     * @return the listener the engine reports to
     */
    @Bean
    @ConditionalOnMissingBean(name = "followUpMetricsListener")
    EngineListener followUpMetricsListener(MeterRegistry registry, FollowUpProperties properties) {
        return new MicrometerEngineListener(registry, properties.getMetrics().isPracticeTag());
    }
}
