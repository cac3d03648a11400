package dev.followup.spring;

import dev.followup.FollowUpEngine;

/**
 * Changes the engine's builder after the starter has applied everything it configures (clock,
 * store, senders, practices, policies, properties), just before the engine is built. Declare one or
 * more as beans; they run in {@link org.springframework.core.Ordered} order. Anything a builder
 * method can set may be set here, e.g. a send rate per sender or practice settings with custom
 * templates.
 *
 * <pre>{@code
 * @Bean
 * FollowUpEngineCustomizer tollFree() {
 *     return builder -> builder.sendRate("+18005550100", SendRate.tollFree());
 * }
 * }</pre>
 */
@FunctionalInterface
public interface FollowUpEngineCustomizer {

    /**
     * @param builder the engine's builder, fully configured by the starter
     */
    void customize(FollowUpEngine.Builder builder);
}
