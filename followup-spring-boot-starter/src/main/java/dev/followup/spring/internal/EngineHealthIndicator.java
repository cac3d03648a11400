package dev.followup.spring.internal;

import dev.followup.EngineHealth;
import dev.followup.FollowUpEngine;
import dev.followup.practice.PracticeId;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The engine's health: DOWN when the store cannot be reached or the oldest overdue step has waited
 * longer than {@code followup.health.max-lag}; otherwise UP, with the providers that are configured
 * and the practices that name a channel no sender serves. Ids, counts and times only.
 */
public final class EngineHealthIndicator implements HealthIndicator {
    private final FollowUpEngine engine;
    private final Duration maxLag;
    private final @Nullable EngineScheduler scheduler;

    /**
     * @param engine the engine
     * @param maxLag the longest an overdue step may wait before the health is DOWN
     * @param scheduler the scheduler, if due work is scheduled by this application
     */
    public EngineHealthIndicator(FollowUpEngine engine, Duration maxLag, @Nullable EngineScheduler scheduler) {
        this.engine = engine;
        this.maxLag = maxLag;
        this.scheduler = scheduler;
    }

    @Override
    public Health health() {
        EngineHealth h;
        try {
            h = engine.health();
        } catch (RuntimeException e) {
            // The class name only: a driver's message may quote SQL and values.
            return Health.down().withDetail("store", "unreachable").withDetail("error", e.getClass().getSimpleName()).build();
        }
        Duration lag = h.oldestOverdueAge();
        Health.Builder b = lag.compareTo(maxLag) > 0 ? Health.down().withDetail("reason", "due work is behind by more than " + maxLag)
                : Health.up();
        b.withDetail("store", "reachable")
                .withDetail("oldestOverdueSeconds", lag.toSeconds())
                .withDetail("practices", h.practices())
                .withDetail("smsSender", h.smsSender())
                .withDetail("emailSender", h.emailSender())
                .withDetail("slotBooking", h.slotBooking());
        if (!h.practicesWithoutSender().isEmpty()) {
            b.withDetail("practicesWithoutSender", h.practicesWithoutSender().stream().map(PracticeId::value).sorted().toList());
        }
        if (scheduler != null) {
            b.withDetail("scheduler", scheduler.isRunning() ? "running" : "stopped").withDetail("workers", scheduler.workers());
            Instant last = scheduler.lastRunEnded();
            if (last != null) {
                b.withDetail("lastRunEnded", last.toString());
            }
            String failure = scheduler.lastFailure();
            if (failure != null) {
                b.withDetail("lastRunFailure", failure);
            }
        }
        return b.build();
    }
}
