package dev.followup.spring.internal;

import dev.followup.FollowUpEngine;
import dev.followup.FollowUpException;
import dev.followup.RunSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the engine's due work on threads of its own ("workers"), each starting its next run a poll
 * interval after its previous one ended, and purges expired message bodies now and then on one
 * more thread, so that neither waits for the other. Started
 * after everything else in the context (the web server included) and stopped before it.
 *
 * <p>Several workers are what let a node send more than one text per provider round trip: a run
 * hands its texts over one after another, while the runs of several workers claim different
 * follow-ups and send at the same time (the engine's pacing is shared by all of them).
 *
 * <p>On shutdown no new run starts; the runs in flight are asked to stop after the follow-up in hand
 * (the engine releases the rest of their claims at once) and are waited for up to the shutdown timeout.
 * A run still going after that is left alone, not interrupted, so that no provider call is cut in
 * half: whatever it still holds keeps its lease and is taken up again when the lease expires,
 * by this node after a restart or by another node. Nothing is lost either way.
 */
public final class EngineScheduler implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(EngineScheduler.class);
    private static final int MAX_WORKERS = 64;
    private final FollowUpEngine engine;
    private final Clock clock;
    private final int workers;
    private final Duration pollInterval;
    private final Duration purgeInterval;
    private final Duration shutdownTimeout;
    private final Object lifecycle = new Object();
    private volatile boolean stopping;
    private volatile @Nullable Instant lastRunEnded;
    private volatile @Nullable String lastFailure;
    private @Nullable ScheduledExecutorService executor;

    /**
     * @param engine the engine
     * @param clock the engine's clock, for the time of the last run
     * @param workers runs of due work at once, 1 to 64
     * @param pollInterval the pause between the end of a worker's run and the start of its next
     * @param purgeInterval the pause between purges of expired message bodies
     * @param shutdownTimeout how long a stop waits for the runs in flight
     */
    public EngineScheduler(FollowUpEngine engine, Clock clock, int workers, Duration pollInterval, Duration purgeInterval,
            Duration shutdownTimeout) {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new dev.followup.InvalidConfigurationException("followup.engine.workers must be 1 to " + MAX_WORKERS + ", was " + workers);
        }
        this.engine = engine;
        this.clock = clock;
        this.workers = workers;
        this.pollInterval = positive(pollInterval, "followup.engine.poll-interval");
        this.purgeInterval = positive(purgeInterval, "followup.engine.purge-interval");
        this.shutdownTimeout = shutdownTimeout.isNegative() ? Duration.ZERO : shutdownTimeout;
    }

    private static Duration positive(Duration d, String property) {
        if (d.isNegative() || d.isZero()) {
            throw new dev.followup.InvalidConfigurationException(property + " must be positive, was " + d);
        }
        return d;
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (executor != null) {
                return;
            }
            stopping = false;
            AtomicInteger threads = new AtomicInteger();
            // One thread more than the workers, for the purge: asking the provider to erase its copies can take minutes,
            // which must not hold up outreach, nor outreach the purge.
            ScheduledExecutorService ex = Executors.newScheduledThreadPool(workers + 1, r -> {
                Thread t = new Thread(r, "followup-engine-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            for (int w = 0; w < workers; w++) {
                ex.scheduleWithFixedDelay(this::runDueWork, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
            }
            ex.scheduleWithFixedDelay(this::purge, purgeInterval.toMillis(), purgeInterval.toMillis(), TimeUnit.MILLISECONDS);
            executor = ex;
            LOG.info("Followup scheduler started: due work every {} on {} workers, expired message bodies purged every {}", pollInterval,
                    workers, purgeInterval);
        }
    }

    private void runDueWork() {
        if (stopping) {
            return;
        }
        try {
            RunSummary summary = engine.runDueWorkUntil(() -> stopping);
            lastRunEnded = clock.instant();
            lastFailure = null;
            if (summary.claimed() > 0) {
                LOG.debug("due work: {}", summary);
            }
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError) {
                throw e;
            }
            // A thrown exception would cancel the schedule: report it and try again at the next interval.
            lastFailure = e.getClass().getSimpleName();
            LOG.warn("a run of due work failed ({}); the next starts in {}", FollowUpException.loggable(e), pollInterval);
        }
    }

    private void purge() {
        if (stopping) {
            return;
        }
        try {
            int purged = engine.purgeExpiredMessageBodies();
            if (purged > 0) {
                LOG.info("erased the bodies of {} messages past retention", purged);
            }
        } catch (RuntimeException e) {
            LOG.warn("the retention purge failed ({}); it is tried again in {}", FollowUpException.loggable(e), purgeInterval);
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService ex;
        synchronized (lifecycle) {
            ex = executor;
            executor = null;
            if (ex == null) {
                return;
            }
            stopping = true;
            ex.shutdown();
        }
        try {
            if (!ex.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("runs of due work are still in flight after {}; they are left to finish on their own, and the follow-ups they hold"
                        + " keep their leases and are taken up again when the leases expire", shutdownTimeout);
            } else {
                LOG.info("Followup scheduler stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        synchronized (lifecycle) {
            return executor != null;
        }
    }

    /** @return runs of due work at once */
    public int workers() {
        return workers;
    }

    /** @return when the last run of due work, of any worker, ended without failing, by the engine's clock; null before the first */
    public @Nullable Instant lastRunEnded() {
        return lastRunEnded;
    }

    /** @return the exception class of the last run to end, of any worker, if it failed, else null */
    public @Nullable String lastFailure() {
        return lastFailure;
    }
}
