package dev.followup.policy;

import dev.followup.InvalidConfigurationException;
import dev.followup.conversation.ReplyKind;
import dev.followup.followup.Channel;
import dev.followup.practice.SendWindow;
import dev.followup.task.TaskKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a follow-up escalates: a ladder of steps, each taken if the patient has not replied within a
 * delay after the previous one, and what a YES leads to. Immutable; built with a staged builder
 * that validates every call at once and explains what is wrong:
 *
 * <pre>{@code
 * EscalationPolicy standard = EscalationPolicy.named("standard")
 *     .first(Steps.sms("invite")).within(Duration.ofHours(2))
 *     .ifNoReplyWithin(Duration.ofHours(24)).then(Steps.email("reminder"))
 *     .ifNoReplyWithin(Duration.ofHours(24)).then(Steps.staffTask(TaskKind.CALL_PATIENT))
 *     .onReply(ReplyKind.YES, Steps.offerSlots(3))
 *     .build();
 * }</pre>
 *
 * <p>A ladder ends either with a staff task or with {@link LadderBuilder#thenClose()}, which closes
 * an unanswered follow-up as {@code UNREACHABLE}: nothing is ever left hanging. A step whose
 * channel cannot reach the patient (no number, an opt-out of that channel, a permanent failure)
 * is skipped at once, without waiting for its delay.
 */
public final class EscalationPolicy {
    /** The longest a first message may wait for the send window and pacing: Twilio keeps a message queued at most 10 hours. */
    public static final Duration MAX_WITHIN = Duration.ofHours(10);
    private static final EscalationPolicy STANDARD = named("standard")
            .first(Steps.sms("invite")).within(Duration.ofHours(2))
            .ifNoReplyWithin(Duration.ofHours(24)).then(Steps.email("reminder"))
            .ifNoReplyWithin(Duration.ofHours(24)).then(Steps.staffTask(TaskKind.CALL_PATIENT))
            .onReply(ReplyKind.YES, Steps.offerSlots(3))
            .build();

    private final String name;
    private final List<Rung> ladder;
    private final Duration within;
    private final @Nullable SendWindow window;
    private final Step onYes;
    private final Duration choiceTimeout;
    private final @Nullable Duration closeAfter;

    /**
     * A step of the ladder and how long after the previous step it falls due.
     *
     * @param step what to do
     * @param delay how long after the previous step (zero for the first)
     */
    public record Rung(Step step, Duration delay) {}

    private EscalationPolicy(String name, List<Rung> ladder, Duration within, @Nullable SendWindow window, Step onYes,
            Duration choiceTimeout, @Nullable Duration closeAfter) {
        this.name = name;
        this.closeAfter = closeAfter;
        this.ladder = List.copyOf(ladder);
        this.within = within;
        this.window = window;
        this.onYes = onYes;
        this.choiceTimeout = choiceTimeout;
    }

    /**
     * The default policy: an SMS within 2 hours of ingestion (inside the send window), an email 24
     * hours later without a reply, a staff call task 24 hours after that; a YES gets 3 open slots.
     *
     * @return the standard policy, named {@code standard}
     */
    public static EscalationPolicy standard() {
        return STANDARD;
    }

    /**
     * @param name the policy's name, by which follow-ups refer to it
     * @return the first stage of the builder
     */
    public static FirstStep named(String name) {
        return new FirstStep(new Draft(requireName(name)));
    }

    private static String requireName(String name) {
        if (name == null || !name.matches("[a-z0-9-]{1,40}")) {
            throw new InvalidConfigurationException("policy name must be 1 to 40 lower-case letters, digits or dashes, was '" + name + "'");
        }
        return name;
    }

    /**
     * Derives a policy from another: same ladder and settings, to be changed in part.
     *
     * @param base the policy to start from
     * @return a builder holding the base's settings
     */
    public static Derivation from(EscalationPolicy base) {
        return new Derivation(base);
    }

    /** @return the policy's name */
    public String name() {
        return name;
    }

    /** @return the ladder, first step first */
    public List<Rung> ladder() {
        return ladder;
    }

    /**
     * @param index a position in the ladder
     * @return the rung there, if any
     */
    public Optional<Rung> rung(int index) {
        return index >= 0 && index < ladder.size() ? Optional.of(ladder.get(index)) : Optional.empty();
    }

    /** @return the longest a message may wait in the provider's queue (and the first message after ingestion) */
    public Duration within() {
        return within;
    }

    /** @return a send window that overrides the practice's for this policy, if any */
    public Optional<SendWindow> window() {
        return Optional.ofNullable(window);
    }

    /** @return what a YES leads to: offering slots, or a staff task */
    public Step onYes() {
        return onYes;
    }

    /** @return how long a patient who was offered slots has to pick one before staff take over */
    public Duration choiceTimeout() {
        return choiceTimeout;
    }

    /** @return whether the ladder ends by closing the follow-up rather than with a staff task */
    public boolean endsByClosing() {
        return !(ladder.get(ladder.size() - 1).step() instanceof Step.StaffTask);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("EscalationPolicy[").append(name).append(": ");
        for (int i = 0; i < ladder.size(); i++) {
            Rung r = ladder.get(i);
            s.append(i == 0 ? "" : " -" + r.delay() + "-> ").append(r.step());
        }
        return s.append(endsByClosing() ? " -> close" : "").append("; YES -> ").append(onYes).append(']').toString();
    }

    private static final class Draft {
        String name;
        final List<Rung> ladder = new ArrayList<>();
        Duration within = Duration.ofHours(2);
        @Nullable SendWindow window;
        Step onYes = Steps.offerSlots(3);
        Duration choiceTimeout = Duration.ofHours(24);
        @Nullable Duration pendingDelay;
        @Nullable Duration closeAfter;
        boolean ended;

        Draft(String name) {
            this.name = name;
        }

        void add(Step step, Duration delay) {
            if (ended) {
                throw new InvalidConfigurationException("policy '" + name + "': the ladder already ended with "
                        + (closeAfter != null ? "thenClose()" : "a staff task") + "; no step can follow it");
            }
            if (step instanceof Step.OfferSlots) {
                throw new InvalidConfigurationException("policy '" + name + "': offerSlots answers a reply; use onReply(ReplyKind.YES, ...)");
            }
            ladder.add(new Rung(step, delay));
            ended = step instanceof Step.StaffTask;
        }

        EscalationPolicy build() {
            if (pendingDelay != null) {
                throw new InvalidConfigurationException("policy '" + name + "': ifNoReplyWithin(" + pendingDelay + ") needs then(step) or thenClose()");
            }
            if (ladder.isEmpty()) {
                throw new InvalidConfigurationException("policy '" + name + "' has no steps");
            }
            if (!ended) {
                throw new InvalidConfigurationException("policy '" + name + "': the ladder must end with a staff task or with "
                        + "ifNoReplyWithin(...).thenClose(), so that no follow-up is left without an outcome");
            }
            return new EscalationPolicy(name, ladder, within, window, onYes, choiceTimeout, closeAfter);
        }
    }


    /** @return how long after the last step an unanswered follow-up is closed, when the ladder ends by closing */
    public Optional<Duration> closeAfter() {
        return Optional.ofNullable(closeAfter);
    }

    private static Duration requirePositive(String policy, String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new InvalidConfigurationException("policy '" + policy + "': " + what + " must be positive, was " + d);
        }
        return d;
    }

    /** The first stage: the ladder's first step. */
    public static final class FirstStep {
        private final Draft draft;

        private FirstStep(Draft draft) {
            this.draft = draft;
        }

        /**
         * @param step the first step, taken as soon as the follow-up is ingested (inside the send window)
         * @return the ladder stage
         */
        public LadderBuilder first(Step step) {
            draft.add(Objects.requireNonNull(step, "step"), Duration.ZERO);
            return new LadderBuilder(draft);
        }
    }

    /** The ladder stage: more steps, reply handling, settings, and {@link #build()}. */
    public static final class LadderBuilder {
        private final Draft draft;

        private LadderBuilder(Draft draft) {
            this.draft = draft;
        }

        /**
         * @param limit the longest the first message may wait after ingestion, and the longest any
         *     message may sit in the provider's queue; at most 10 hours
         * @return this stage
         */
        public LadderBuilder within(Duration limit) {
            requirePositive(draft.name, "within", limit);
            if (limit.compareTo(MAX_WITHIN) > 0) {
                throw new InvalidConfigurationException("policy '" + draft.name + "': within must be at most 10 hours "
                        + "(the provider drops messages queued longer), was " + limit);
            }
            draft.within = limit;
            return this;
        }

        /**
         * @param window a send window for this policy's messages, overriding the practice's
         * @return this stage
         */
        public LadderBuilder during(SendWindow window) {
            if (draft.window != null) {
                throw new InvalidConfigurationException("policy '" + draft.name + "': the send window was already set to " + draft.window);
            }
            draft.window = Objects.requireNonNull(window);
            return this;
        }

        /**
         * @param delay how long after the previous step the next one falls due, if the patient has not replied
         * @return the stage that names the next step
         */
        public NextStep ifNoReplyWithin(Duration delay) {
            requirePositive(draft.name, "ifNoReplyWithin", delay);
            if (draft.ended) {
                throw new InvalidConfigurationException("policy '" + draft.name + "': the ladder already ended; no step can follow it");
            }
            draft.pendingDelay = delay;
            return new NextStep(draft);
        }

        /**
         * @param reply the reply kind; only {@link ReplyKind#YES} can be configured (opt-outs, HELP and
         *     the rest are answered as the rules require)
         * @param step {@link Steps#offerSlots(int)} or {@link Steps#staffTask(TaskKind)}
         * @return this stage
         */
        public LadderBuilder onReply(ReplyKind reply, Step step) {
            if (reply != ReplyKind.YES) {
                throw new InvalidConfigurationException("policy '" + draft.name + "': only the answer to YES is configurable, not " + reply);
            }
            if (step instanceof Step.Message) {
                throw new InvalidConfigurationException("policy '" + draft.name + "': a YES must lead to offerSlots or a staff task");
            }
            draft.onYes = step;
            return this;
        }

        /**
         * @param timeout how long a patient has to pick an offered slot before staff take over
         * @return this stage
         */
        public LadderBuilder choiceTimeout(Duration timeout) {
            draft.choiceTimeout = requirePositive(draft.name, "choiceTimeout", timeout);
            return this;
        }

        /** @return the policy @throws InvalidConfigurationException if the ladder is incomplete */
        public EscalationPolicy build() {
            return draft.build();
        }
    }

    /** The stage after {@code ifNoReplyWithin}: what happens then. */
    public static final class NextStep {
        private final Draft draft;

        private NextStep(Draft draft) {
            this.draft = draft;
        }

        /**
         * @param step the next step
         * @return the ladder stage
         */
        public LadderBuilder then(Step step) {
            Duration delay = draft.pendingDelay;
            draft.pendingDelay = null;
            draft.add(Objects.requireNonNull(step, "step"), delay);
            return new LadderBuilder(draft);
        }

        /**
         * Ends the ladder without a staff task: a follow-up still unanswered then is closed as
         * unreachable.
         *
         * @return the ladder stage
         */
        public LadderBuilder thenClose() {
            draft.closeAfter = draft.pendingDelay;
            draft.pendingDelay = null;
            draft.ended = true;
            return new LadderBuilder(draft);
        }
    }

    /** Changes a copy of an existing policy; validated again on {@link #build()}. */
    public static final class Derivation {
        private final EscalationPolicy base;
        private String name;
        private final List<Rung> ladder;
        private Duration within;
        private @Nullable SendWindow window;
        private Step onYes;
        private Duration choiceTimeout;
        private @Nullable Duration closeAfter;

        private Derivation(EscalationPolicy base) {
            this.base = base;
            this.name = base.name;
            this.ladder = new ArrayList<>(base.ladder);
            this.within = base.within;
            this.window = base.window;
            this.onYes = base.onYes;
            this.choiceTimeout = base.choiceTimeout;
            this.closeAfter = base.closeAfter;
        }

        /**
         * @param newName the derived policy's name (must differ from the base's)
         * @return this
         */
        public Derivation named(String newName) {
            this.name = requireName(newName);
            return this;
        }

        /**
         * @param index a ladder position (1 for the second step)
         * @param delay its new delay after the previous step
         * @return this
         */
        public Derivation delayBefore(int index, Duration delay) {
            requireIndex(index);
            if (index == 0) {
                throw new InvalidConfigurationException("policy '" + name + "': the first step has no delay; use within(...)");
            }
            ladder.set(index, new Rung(ladder.get(index).step(), requirePositive(name, "delay", delay)));
            return this;
        }

        /**
         * @param index a ladder position
         * @param step the step to take there instead
         * @return this
         */
        public Derivation replaceStep(int index, Step step) {
            requireIndex(index);
            ladder.set(index, new Rung(step, ladder.get(index).delay()));
            return this;
        }

        /**
         * @param limit see {@link LadderBuilder#within}
         * @return this
         */
        public Derivation within(Duration limit) {
            requirePositive(name, "within", limit);
            if (limit.compareTo(MAX_WITHIN) > 0) {
                throw new InvalidConfigurationException("policy '" + name + "': within must be at most 10 hours, was " + limit);
            }
            this.within = limit;
            return this;
        }

        /**
         * @param newWindow a send window overriding the practice's
         * @return this
         */
        public Derivation during(SendWindow newWindow) {
            this.window = Objects.requireNonNull(newWindow);
            return this;
        }

        /**
         * @param step what a YES leads to
         * @return this
         */
        public Derivation onYes(Step step) {
            if (step instanceof Step.Message) {
                throw new InvalidConfigurationException("policy '" + name + "': a YES must lead to offerSlots or a staff task");
            }
            this.onYes = step;
            return this;
        }

        /**
         * @param timeout see {@link LadderBuilder#choiceTimeout}
         * @return this
         */
        public Derivation choiceTimeout(Duration timeout) {
            this.choiceTimeout = requirePositive(name, "choiceTimeout", timeout);
            return this;
        }

        private void requireIndex(int index) {
            if (index < 0 || index >= ladder.size()) {
                throw new InvalidConfigurationException("policy '" + name + "' has steps 0 to " + (ladder.size() - 1) + ", not " + index);
            }
        }

        /** @return the derived policy @throws InvalidConfigurationException if it is invalid or keeps the base's name */
        public EscalationPolicy build() {
            if (name.equals(base.name)) {
                throw new InvalidConfigurationException("a policy derived from '" + base.name + "' needs a name of its own: call named(...)");
            }
            for (int i = 0; i < ladder.size(); i++) {
                boolean last = i == ladder.size() - 1;
                if (ladder.get(i).step() instanceof Step.StaffTask && !last) {
                    throw new InvalidConfigurationException("policy '" + name + "': a staff task ends the ladder; step " + i + " cannot be one");
                }
                if (ladder.get(i).step() instanceof Step.OfferSlots) {
                    throw new InvalidConfigurationException("policy '" + name + "': offerSlots answers a reply and cannot be a ladder step");
                }
            }
            boolean endsWithTask = ladder.get(ladder.size() - 1).step() instanceof Step.StaffTask;
            if (!endsWithTask && closeAfter == null) {
                throw new InvalidConfigurationException("policy '" + name + "': the ladder must end with a staff task or close");
            }
            return new EscalationPolicy(name, ladder, within, window, onYes, choiceTimeout, endsWithTask ? null : closeAfter);
        }
    }

    /** @return the channels this policy's message steps use, with their template names */
    public java.util.Map<String, Channel> templatesUsed() {
        java.util.Map<String, Channel> used = new java.util.LinkedHashMap<>();
        for (Rung r : ladder) {
            if (r.step() instanceof Step.Message m) {
                used.put(m.template(), m.channel());
            }
        }
        return used;
    }
}
