package dev.followup.internal;

import dev.followup.NotFoundException;
import dev.followup.PracticeSettings;
import dev.followup.conversation.ReplyClassifier;
import dev.followup.message.SmsPricing;
import dev.followup.policy.EscalationPolicy;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.spi.AppointmentBooker;
import dev.followup.spi.EmailSender;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.PracticeTransaction;
import dev.followup.spi.SlotProvider;
import dev.followup.spi.SmsSender;
import dev.followup.spi.TaskSink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the engine's parts share: ports, clock, configuration. Built once by the engine's
 * builder, immutable after.
 *
 * @param clock the only source of time
 * @param store storage
 * @param sms the SMS provider, if the deployment texts
 * @param email the email provider, if the deployment emails
 * @param slots open slots, if the deployment offers them
 * @param booker the booking port, if the deployment books
 * @param taskSink the host's task queue
 * @param practices the practices by id
 * @param settings their settings by id
 * @param policies the policies by name
 * @param classifier reply classification
 * @param pricing SMS cost
 * @param pacer send rates per sender
 * @param nodeId this engine node's id, for leases
 * @param batchSize claims per batch
 * @param lease how long a claim is held
 * @param maxTransientRetries how often a step is retried after transient failures before the channel counts as failed
 * @param retention how long message bodies are kept
 * @param sleeper waits out a pacing delay (a real sleep, or a test clock's advance)
 * @param listener hears what the engine does (metrics); never throws
 */
public record EngineContext(
        Clock clock,
        FollowUpStore store,
        @Nullable SmsSender sms,
        @Nullable EmailSender email,
        @Nullable SlotProvider slots,
        @Nullable AppointmentBooker booker,
        TaskSink taskSink,
        Map<PracticeId, Practice> practices,
        Map<PracticeId, PracticeSettings> settings,
        Map<String, EscalationPolicy> policies,
        ReplyClassifier classifier,
        SmsPricing pricing,
        SendPacer pacer,
        String nodeId,
        int batchSize,
        Duration lease,
        int maxTransientRetries,
        Duration retention,
        java.util.function.Consumer<Duration> sleeper,
        dev.followup.spi.EngineListener listener) {

    private static final Logger LOG = LoggerFactory.getLogger(EngineContext.class);

    /**
     * @param id a practice id
     * @return the practice
     * @throws NotFoundException if it is not configured
     */
    public Practice practice(PracticeId id) {
        Practice p = practices.get(id);
        if (p == null) {
            throw new NotFoundException("practice " + id + " is not configured in this engine");
        }
        return p;
    }

    /**
     * @param id a practice id
     * @return its settings
     */
    public PracticeSettings settings(PracticeId id) {
        practice(id);
        return settings.getOrDefault(id, PracticeSettings.defaults());
    }

    /**
     * @param name a policy name
     * @return the policy (validated to exist at build time)
     */
    public EscalationPolicy policy(String name) {
        EscalationPolicy p = policies.get(name);
        if (p == null) {
            throw new NotFoundException("policy '" + name + "' is not registered in this engine");
        }
        return p;
    }

    /**
     * The policy a follow-up runs: the one it was created with, or, when this engine does not have
     * that one (renamed or removed from the configuration since, or written by a node already
     * running a newer configuration), the practice's current policy for its type. A follow-up whose
     * policy is gone must still end in a terminal state or a staff task, and a reply to it (a STOP
     * among them) must still be handled.
     *
     * @param followUp a follow-up
     * @return the policy to run it by
     */
    public EscalationPolicy policyOf(dev.followup.followup.FollowUp followUp) {
        EscalationPolicy own = policies.get(followUp.policyName());
        if (own != null) {
            return own;
        }
        String fallback = settings(followUp.practiceId()).policyFor(followUp.type());
        LOG.warn("follow-up {} of practice {} runs policy '{}', which this engine does not have; policy '{}' applies instead",
                followUp.id(), followUp.practiceId(), followUp.policyName(), fallback);
        return policy(fallback);
    }

    /** @return an id for a new row ({@link TimeOrderedIds}, on this engine's clock) */
    public String newId() {
        return TimeOrderedIds.next(clock);
    }

    /** Listener events of the transaction running on this thread, held back until it commits. */
    private static final ThreadLocal<List<Runnable>> AFTER_COMMIT = new ThreadLocal<>();

    /**
     * Runs work in a store transaction; the listener events it raised through {@link #afterCommit}
     * are emitted once it has committed, and dropped if it rolled back, so that metrics never count
     * what did not happen (or count twice what is retried).
     *
     * @param id the practice
     * @param work the work
     * @param <T> its result type
     * @return its result
     */
    public <T> T inTransaction(PracticeId id, Function<PracticeTransaction, T> work) {
        List<Runnable> outer = AFTER_COMMIT.get();
        List<Runnable> events = new ArrayList<>();
        AFTER_COMMIT.set(events);
        T result;
        try {
            result = store.inTransaction(id, tx -> {
                events.clear(); // a store that retries the work keeps only the last run's events
                return work.apply(tx);
            });
        } finally {
            if (outer == null) {
                AFTER_COMMIT.remove();
            } else {
                AFTER_COMMIT.set(outer);
            }
        }
        if (outer != null) {
            outer.addAll(events); // nested: heard when the outer transaction commits, not before
        } else {
            events.forEach(Runnable::run);
        }
        return result;
    }

    /**
     * @param event a listener call to make once the transaction running on this thread commits
     *     (at once if none runs)
     */
    public void afterCommit(Runnable event) {
        List<Runnable> pending = AFTER_COMMIT.get();
        if (pending == null) {
            event.run();
        } else {
            pending.add(event);
        }
    }
}
