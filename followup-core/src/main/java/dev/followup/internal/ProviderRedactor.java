package dev.followup.internal;

import dev.followup.InvalidConfigurationException;
import dev.followup.audit.AuditType;
import dev.followup.practice.PracticeId;
import dev.followup.spi.ProviderCopy;
import dev.followup.spi.ProviderCopy.Outcome;
import dev.followup.spi.SmsSender;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the SMS provider to erase its copies of texts past retention, outbound and inbound, and
 * keeps the store's record of what is still owed: a copy is asked for until the provider confirms,
 * with pauses growing from {@link #FIRST_RETRY} to {@link #LONGEST_RETRY} between tries, and given
 * up on (audited and logged for an operator) after the configured number of tries.
 *
 * <p>Copies are read and their outcomes written in batches, each in a short transaction of its
 * own: the provider is never called while a transaction is open.
 */
public final class ProviderRedactor {
    /** The pause after the first refusal; it doubles with each further one. */
    public static final Duration FIRST_RETRY = Duration.ofHours(1);
    /** The longest pause between two tries. */
    public static final Duration LONGEST_RETRY = Duration.ofDays(1);
    private static final Logger LOG = LoggerFactory.getLogger(ProviderRedactor.class);

    private final EngineContext ctx;
    private final int maxTries;

    /**
     * @param ctx the engine's context; its SMS sender is the provider asked
     * @param maxTries tries after which a copy the provider keeps is given up on
     */
    public ProviderRedactor(EngineContext ctx, int maxTries) {
        this.ctx = ctx;
        this.maxTries = maxTries;
    }

    /**
     * Asks the provider about every copy of the practice owed a redaction and due now.
     *
     * @param practiceId the practice
     * @param cutoff texts recorded before it are past retention
     */
    public void redactOwedCopies(PracticeId practiceId, Instant cutoff) {
        SmsSender sms = ctx.sms();
        if (sms == null) {
            return;
        }
        // A store that remembers outcomes stops returning a copy once it is recorded; one that does
        // not (the port's default) returns the same copies again, and this set ends the run there.
        Set<String> asked = new HashSet<>();
        while (true) {
            Instant now = ctx.clock().instant();
            List<ProviderCopy> batch = ctx.inTransaction(practiceId,
                    tx -> tx.providerCopiesOwedRedaction(cutoff, now, ctx.batchSize()));
            List<Answer> answers = new ArrayList<>();
            boolean paused = false;
            for (ProviderCopy copy : batch) {
                if (!asked.add(copy.providerMessageId())) {
                    continue;
                }
                Answer answer = ask(sms, practiceId, copy);
                if (answer == null) {
                    paused = true;
                    break;
                }
                answers.add(answer);
            }
            if (!answers.isEmpty()) {
                record(practiceId, answers);
            }
            // More than asked for: a store without its own record (the port's default) returned every copy at once,
            // and asking again would read the whole history once more only to find them all asked.
            if (paused || answers.isEmpty() || batch.size() != ctx.batchSize()) {
                return;
            }
        }
    }

    private @Nullable Answer ask(SmsSender sms, PracticeId practiceId, ProviderCopy copy) {
        Instant at = ctx.clock().instant();
        try {
            boolean erased = sms.redact(practiceId, copy.providerMessageId());
            return new Answer(copy, erased, erased ? null : "refused", at);
        } catch (InvalidConfigurationException e) {
            // Credentials refused or no account for the practice: every copy would fail the same way, and counting those
            // tries would give up on copies the provider would erase once the configuration is fixed.
            LOG.warn("provider redaction of practice {} is not configured ({}); its copies stay owed until the next run",
                    practiceId, e.getClass().getSimpleName());
            return null;
        } catch (RuntimeException e) {
            return new Answer(copy, false, e.getClass().getSimpleName(), at);
        }
    }

    private void record(PracticeId practiceId, List<Answer> answers) {
        List<Recorded> recorded = ctx.inTransaction(practiceId, tx -> {
            List<Recorded> done = new ArrayList<>();
            for (Answer a : answers) {
                int tries = a.copy().tries() + 1;
                Outcome outcome = a.erased() ? Outcome.REDACTED : tries >= maxTries ? Outcome.ABANDONED : Outcome.NOT_REDACTED;
                Instant retryAt = outcome == Outcome.NOT_REDACTED ? a.at().plus(pauseAfter(tries)) : null;
                boolean changed = tx.recordProviderRedaction(a.copy(), outcome, a.at(), retryAt);
                if (changed) {
                    ProviderCopy c = a.copy();
                    Audits.record(tx, auditType(outcome), Audits.SYSTEM, c.followUpId(), c.patientId(), a.at(),
                            "providerId", Messenger.token(c.providerMessageId()), "direction", c.direction().name(),
                            "attempt", c.attemptId(), "tries", Integer.toString(tries), "reason", a.reason(),
                            "retryAt", retryAt == null ? null : retryAt.toString());
                }
                done.add(new Recorded(a, outcome, changed, tries, retryAt));
            }
            return done;
        });
        // Logged after the commit, so that a line never reports an outcome the store rolled back.
        for (Recorded r : recorded) {
            String id = Messenger.token(r.answer().copy().providerMessageId()); // an inbound id came from a webhook
            if (!r.changed()) {
                if (!r.answer().erased()) {
                    LOG.info("the provider kept its copy of message {} of practice {} ({}), and the store recorded no outcome",
                            id, practiceId, r.answer().reason());
                }
            } else if (r.outcome() == Outcome.ABANDONED) {
                LOG.warn("gave up asking the provider to erase its copy of message {} of practice {} after {} tries ({}); "
                        + "ask the provider to erase it", id, practiceId, r.tries(), r.answer().reason());
            } else if (r.outcome() == Outcome.NOT_REDACTED) {
                LOG.info("the provider kept its copy of message {} of practice {} ({}, try {}); asking again after {}",
                        id, practiceId, r.answer().reason(), r.tries(), r.retryAt());
            }
        }
    }

    /**
     * @param tries tries made so far, at least 1
     * @return the pause before the next try: {@link #FIRST_RETRY}, doubled per further try, at most {@link #LONGEST_RETRY}
     */
    static Duration pauseAfter(int tries) {
        Duration pause = FIRST_RETRY;
        for (int i = 1; i < tries && pause.compareTo(LONGEST_RETRY) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause;
    }

    private static AuditType auditType(Outcome outcome) {
        return switch (outcome) {
            case REDACTED -> AuditType.PROVIDER_COPY_REDACTED;
            case NOT_REDACTED -> AuditType.PROVIDER_COPY_NOT_REDACTED;
            case ABANDONED -> AuditType.PROVIDER_COPY_ABANDONED;
        };
    }

    /** What the provider answered about one copy; {@code reason} says why it was not erased. */
    private record Answer(ProviderCopy copy, boolean erased, @Nullable String reason, Instant at) {}

    private record Recorded(Answer answer, Outcome outcome, boolean changed, int tries, @Nullable Instant retryAt) {}
}
