package dev.followup.test;

import dev.followup.FollowUpEngine;
import dev.followup.RunSummary;
import dev.followup.conversation.InboundSms;
import dev.followup.patient.PhoneNumber;
import dev.followup.spi.OutboundSms;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated patients who answer texts the way real ones do — yes after a few hours, never, STOP,
 * free text — so that tests and the demo can run days of outreach on a {@link MutableClock}. The
 * driver alternates the engine's due work with the patients' replies, advancing the clock in steps.
 */
public final class ScriptedPatients {
    private final FollowUpEngine engine;
    private final InMemorySmsSender sms;
    private final MutableClock clock;
    private final Map<String, Script> scripts = new HashMap<>();
    private final Map<String, Integer> received = new HashMap<>();
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(Comparator.comparing(Pending::at).thenComparing(Pending::seq));
    private final AtomicLong ids = new AtomicLong();
    private int seen;
    private RunSummary total = RunSummary.EMPTY;
    private int repliesSent;

    /**
     * How one patient behaves.
     *
     * @param firstReply what the patient texts after the first message they receive, or null for nothing
     * @param delay how long after that message they reply
     * @param slotChoice the slot number they pick when offered slots, or 0 never to pick
     */
    public record Script(String firstReply, Duration delay, int slotChoice) {
        /**
         * @param after how long the patient takes
         * @return says YES, then picks the first slot 10 minutes after the offer
         */
        public static Script replyYesAfter(Duration after) {
            return new Script("YES", after, 1);
        }

        /**
         * @param after how long the patient takes
         * @return says YES but never picks a slot
         */
        public static Script yesButNoChoice(Duration after) {
            return new Script("Yes please", after, 0);
        }

        /** @return never answers */
        public static Script neverReply() {
            return new Script(null, Duration.ZERO, 0);
        }

        /**
         * @param after how long the patient takes
         * @return texts STOP
         */
        public static Script stopAfter(Duration after) {
            return new Script("STOP", after, 0);
        }

        /**
         * @param after how long
         * @param text the words
         * @return texts anything (an opt-out phrase, a question)
         */
        public static Script textAfter(Duration after, String text) {
            return new Script(text, after, 0);
        }

        /**
         * @param after how long the patient takes
         * @return texts NO
         */
        public static Script declineAfter(Duration after) {
            return new Script("No thanks", after, 0);
        }
    }

    private record Pending(Instant at, long seq, OutboundSms answering, String text) {}

    /**
     * @param engine the engine under test
     * @param sms the in-memory SMS provider the engine sends through
     * @param clock the clock the engine reads
     */
    public ScriptedPatients(FollowUpEngine engine, InMemorySmsSender sms, MutableClock clock) {
        this.engine = engine;
        this.sms = sms;
        this.clock = clock;
    }

    /**
     * @param phone a patient's number
     * @param script how they behave
     * @return this
     */
    public ScriptedPatients assign(PhoneNumber phone, Script script) {
        scripts.put(phone.e164(), script);
        return this;
    }

    /**
     * Runs the engine and the patients until the clock reaches {@code until}.
     *
     * @param until when to stop
     * @param step how far the clock moves between runs
     * @return the sum of the engine's runs
     */
    public RunSummary runUntil(Instant until, Duration step) {
        while (clock.instant().isBefore(until)) {
            deliverDueReplies();
            total = total.plus(engine.runDueWork());
            collectNewTexts();
            deliverDueReplies();
            Instant next = clock.instant().plus(step);
            if (!pending.isEmpty() && pending.peek().at().isBefore(next)) {
                next = pending.peek().at().isAfter(clock.instant()) ? pending.peek().at() : clock.instant().plus(Duration.ofSeconds(1));
            }
            clock.set(next.isAfter(until) ? until : next);
        }
        deliverDueReplies();
        total = total.plus(engine.runDueWork());
        return total;
    }

    /** @return how many texts the simulated patients sent */
    public int repliesSent() {
        return repliesSent;
    }

    private void collectNewTexts() {
        List<OutboundSms> all = sms.sent();
        for (OutboundSms m : all.subList(seen, all.size())) {
            Script script = scripts.get(m.to().e164());
            if (script == null) {
                continue;
            }
            int n = received.merge(m.to().e164(), 1, Integer::sum);
            if (n == 1 && script.firstReply() != null) {
                pending.add(new Pending(clock.instant().plus(script.delay()), ids.incrementAndGet(), m, script.firstReply()));
            } else if (script.slotChoice() > 0 && m.body().contains(script.slotChoice() + ") ")) {
                pending.add(new Pending(clock.instant().plus(Duration.ofMinutes(10)), ids.incrementAndGet(), m,
                        Integer.toString(script.slotChoice())));
            }
        }
        seen = all.size();
    }

    private void deliverDueReplies() {
        List<Pending> due = new ArrayList<>();
        while (!pending.isEmpty() && !pending.peek().at().isAfter(clock.instant())) {
            due.add(pending.poll());
        }
        for (Pending p : due) {
            repliesSent++;
            engine.handleInboundSms(new InboundSms(p.answering().practiceId(), "SMsim" + ids.incrementAndGet(), p.answering().to(), p.text(), clock.instant()));
            collectNewTexts();
        }
    }
}
