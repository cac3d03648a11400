package dev.followup.engine;

import static dev.followup.engine.EngineFixture.PRACTICE_ID;
import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.audit.AuditType;
import dev.followup.engine.EngineFixture.Row;
import dev.followup.engine.EngineFixture.Text;
import dev.followup.message.SendAttempt;
import dev.followup.report.WeeklyReport;
import dev.followup.task.StaffTask;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Message bodies (PHI) are purged after the retention period; reports and the audit trail keep working. */
class RetentionEngineTest {
    static final LocalDate WEEK = LocalDate.of(2026, 4, 13);

    /** A week of outreach with a booking, a free-text reply kept on a task, and silence; returns the inbound texts sent. */
    private static int aWeek(EngineFixture fx) {
        Row booker = patient(1);
        Row writer = patient(2);
        Row silent = patient(3);
        fx.ingestNew(booker, writer, silent);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        fx.reply(booker, "YES");
        fx.clock.advance(Duration.ofMinutes(10));
        fx.reply(booker, "2");
        fx.reply(writer, "I moved to Denver, can you send my records?");
        fx.runUntil(chicago(2026, 4, 19, 23, 0));
        assertThat(fx.allTasks()).anySatisfy(t -> assertThat(t.replyText()).isNotNull());
        return 3;
    }

    @Test
    void bodiesArePurgedAfterThirtyDaysAndTheReportAndTrailStay() {
        EngineFixture fx = EngineFixture.create();
        int inbound = aWeek(fx);
        WeeklyReport before = fx.engine.weeklyReport(PRACTICE_ID, WEEK);
        assertThat(before.booked()).isEqualTo(1);
        assertThat(fx.attempts()).allSatisfy(a -> assertThat(a.body()).isNotBlank());

        fx.clock.set(chicago(2026, 5, 12, 9, 0)); // 29 days after the last message of the week
        assertThat(fx.engine.purgeExpiredMessageBodies()).as("nothing is old enough yet").isZero();

        fx.clock.set(chicago(2026, 5, 21, 9, 0)); // 31 days after the end of the week
        long attempts = fx.attempts().size();
        long taskTexts = fx.allTasks().stream().filter(t -> t.replyText() != null).count();
        int purged = fx.engine.purgeExpiredMessageBodies();

        assertThat(purged).isEqualTo(attempts + inbound + taskTexts);
        assertThat(fx.attempts()).hasSize((int) attempts).allSatisfy(a -> assertThat(a.body()).isNull());
        assertThat(fx.attempts()).extracting(SendAttempt::providerMessageId).doesNotContainNull();
        assertThat(fx.allTasks()).extracting(StaffTask::replyText).containsOnlyNulls();
        assertThat(fx.engine.weeklyReport(PRACTICE_ID, WEEK)).isEqualTo(before);
        assertThat(fx.engine.verifyAuditTrail(PRACTICE_ID).isIntact()).isTrue();
        assertThat(fx.auditEvents()).filteredOn(e -> e.type() == AuditType.RETENTION_PURGE).singleElement()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("records", Integer.toString(purged)));
        assertThat(fx.engine.purgeExpiredMessageBodies()).as("a second run finds nothing").isZero();
    }

    /**
     * The store fails the purge of the practice the engine purges first: the other practice's bodies
     * are purged all the same, and the failure names the practice whose were not.
     */
    @Test
    void aPracticeWhosePurgeFailsDoesNotKeepTheOthersBodiesPastRetention() {
        dev.followup.practice.PracticeId harbor = dev.followup.practice.PracticeId.of("harbor-clinic");
        java.util.concurrent.atomic.AtomicReference<dev.followup.practice.PracticeId> failing = new java.util.concurrent.atomic.AtomicReference<>();
        EngineFixture fx = EngineFixture.builder()
                .otherPractice(dev.followup.practice.Practice.builder(harbor).name("Harbor Clinic").callbackPhone("(415) 555-0100")
                        .timeZone("America/Chicago").smsFrom("+14155550199").emailFrom("hello@harbor.example").build())
                .storeWrapper(store -> new dev.followup.spi.FollowUpStore() {
                    @Override
                    public <T> T inTransaction(dev.followup.practice.PracticeId practiceId,
                            java.util.function.Function<dev.followup.spi.PracticeTransaction, T> work) {
                        if (practiceId.equals(failing.get())) {
                            throw new dev.followup.StorageException("the database refused the connection");
                        }
                        return store.inTransaction(practiceId, work);
                    }

                    @Override
                    public List<dev.followup.spi.Claim> claimDue(java.time.Instant now, int limit, String owner, java.time.Instant leaseUntil) {
                        return store.claimDue(now, limit, owner, leaseUntil);
                    }
                }).build();
        fx.ingestNew(patient(1));
        assertThat(fx.ingest(harbor, List.of(patient(2))).accepted()).isEqualTo(1);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        fx.clock.set(chicago(2026, 5, 21, 9, 0));

        dev.followup.practice.PracticeId first = fx.engine.practices().get(0).id();
        dev.followup.practice.PracticeId second = fx.engine.practices().get(1).id();

        failing.set(first);
        org.assertj.core.api.Assertions.assertThatThrownBy(fx.engine::purgeExpiredMessageBodies)
                .isInstanceOf(dev.followup.StorageException.class).hasMessageContaining("[" + first + "]")
                .hasMessageNotContaining(second.value());
        failing.set(null);

        assertThat(fx.attempts(second)).isNotEmpty().allSatisfy(a -> assertThat(a.body()).isNull());
        assertThat(fx.attempts(first)).isNotEmpty().allSatisfy(a -> assertThat(a.body()).isNotNull());
    }

    @Test
    void theRetentionPeriodIsConfigurable() {
        EngineFixture fx = EngineFixture.builder().engine(b -> b.retention(Duration.ofDays(7))).build();
        aWeek(fx);

        fx.clock.set(chicago(2026, 4, 20, 12, 0));
        int early = fx.engine.purgeExpiredMessageBodies();
        fx.clock.set(chicago(2026, 4, 27, 9, 0));
        int rest = fx.engine.purgeExpiredMessageBodies();

        assertThat(early).as("the first days of the week").isPositive();
        assertThat(rest).isPositive();
        assertThat(fx.attempts()).allSatisfy(a -> assertThat(a.body()).isNull());
    }

    /**
     * COMPLIANCE.md: "Where the provider allows, ask it to redact its copy too." With
     * {@code redactProviderCopies(true)} the purge asks the SMS provider first.
     */
    @Test
    void thePurgeAsksTheSmsProviderToRedactItsCopies() {
        EngineFixture fx = EngineFixture.builder().engine(b -> b.redactProviderCopies(true)).build();
        aWeek(fx);

        fx.clock.set(chicago(2026, 5, 21, 9, 0));
        fx.engine.purgeExpiredMessageBodies();

        assertThat(fx.sms.redacted()).containsExactlyInAnyOrderElementsOf(
                fx.texts.stream().map(Text::result).map(r -> r.providerMessageId()).toList());
    }

    // ---- copies at the provider, owed a redaction until it confirms ----------------------

    /** After {@link #aWeek}: the day the week's texts are all past the 30-day retention. */
    private static final java.time.Instant PAST_RETENTION = chicago(2026, 5, 21, 9, 0);

    @Test
    void aRefusedRedactionIsAskedForAgainOnTheNextRunAndRecordedOnceConfirmed() {
        ScriptedRedactions provider = new ScriptedRedactions();
        EngineFixture fx = EngineFixture.builder().smsWrapper(provider::around)
                .engine(b -> b.redactProviderCopies(true).batchSize(2)).build();
        aWeek(fx);
        List<String> outbound = outboundIds(fx);
        String refused = outbound.get(0);
        String unreachable = outbound.get(1);
        provider.answer(refused, false);
        provider.answer(unreachable, new IllegalStateException("HTTP 503"));

        fx.clock.set(PAST_RETENTION);
        fx.engine.purgeExpiredMessageBodies();

        assertThat(provider.asked()).as("every text once, in batches of two").hasSize(outbound.size() + 3).doesNotHaveDuplicates();
        assertThat(outcomes(fx, AuditType.PROVIDER_COPY_NOT_REDACTED)).containsOnlyKeys(refused, unreachable);
        assertThat(notRedacted(fx, refused).attributes()).containsEntry("reason", "refused").containsEntry("tries", "1")
                .containsEntry("direction", "OUTBOUND");
        assertThat(notRedacted(fx, unreachable).attributes()).containsEntry("reason", "IllegalStateException");
        assertThat(outcomes(fx, AuditType.PROVIDER_COPY_REDACTED)).hasSize(outbound.size() + 3 - 2);

        provider.clearAsked();
        fx.engine.purgeExpiredMessageBodies();
        assertThat(provider.asked()).as("the same day: refused copies wait for their retry time, confirmed ones are done").isEmpty();

        fx.clock.advance(Duration.ofDays(1));
        fx.engine.purgeExpiredMessageBodies();
        assertThat(provider.asked()).as("the next day, only the two kept copies").containsExactlyInAnyOrder(refused, unreachable);
        assertThat(outcomes(fx, AuditType.PROVIDER_COPY_REDACTED)).containsKeys(refused, unreachable).hasSize(outbound.size() + 3);

        provider.clearAsked();
        fx.clock.advance(Duration.ofDays(30));
        fx.engine.purgeExpiredMessageBodies();
        assertThat(provider.asked()).as("a confirmed redaction is never asked for again").isEmpty();
        assertThat(fx.engine.verifyAuditTrail(PRACTICE_ID).isIntact()).isTrue();
    }

    @Test
    void thePatientsRepliesAreRedactedAtTheProviderToo() {
        ScriptedRedactions provider = new ScriptedRedactions();
        EngineFixture fx = EngineFixture.builder().smsWrapper(provider::around).engine(b -> b.redactProviderCopies(true)).build();
        aWeek(fx);
        List<String> inbound = List.of("SMin1", "SMin2", "SMin3"); // the fixture numbers the replies it delivers

        fx.clock.set(PAST_RETENTION);
        fx.engine.purgeExpiredMessageBodies();

        assertThat(provider.asked()).containsAll(inbound);
        Map<String, dev.followup.audit.AuditEvent> redacted = outcomes(fx, AuditType.PROVIDER_COPY_REDACTED);
        List<dev.followup.patient.PatientId> repliers = List.of(fx.patient(patient(1)).id(), fx.patient(patient(2)).id());
        assertThat(inbound).allSatisfy(id -> assertThat(redacted.get(id)).isNotNull().satisfies(e -> {
            assertThat(e.attributes()).containsEntry("direction", "INBOUND").doesNotContainKey("attempt");
            assertThat(e.patientId()).isIn(repliers);
        }));
    }

    @Test
    void afterTheBoundItStopsAskingAndAuditsAndLogsTheGiveUp() {
        ScriptedRedactions provider = new ScriptedRedactions();
        EngineFixture fx = EngineFixture.builder().smsWrapper(provider::around)
                .engine(b -> b.redactProviderCopies(true).providerRedactionTries(3)).build();
        aWeek(fx);
        String stubborn = outboundIds(fx).get(0);
        provider.alwaysRefuse(stubborn);
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                dev.followup.internal.ProviderRedactor.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            fx.clock.set(PAST_RETENTION);
            for (int day = 0; day < 10; day++) {
                fx.engine.purgeExpiredMessageBodies();
                fx.clock.advance(Duration.ofDays(1));
            }
        } finally {
            log.detachAppender(logged);
        }

        assertThat(provider.asked()).filteredOn(stubborn::equals).as("asked three times, then no more").hasSize(3);
        assertThat(fx.auditEvents()).filteredOn(e -> stubborn.equals(e.attributes().get("providerId")))
                .extracting(e -> e.type()).containsExactly(AuditType.PROVIDER_COPY_NOT_REDACTED, AuditType.PROVIDER_COPY_NOT_REDACTED,
                        AuditType.PROVIDER_COPY_ABANDONED);
        assertThat(outcomes(fx, AuditType.PROVIDER_COPY_ABANDONED).get(stubborn).attributes()).containsEntry("tries", "3")
                .containsEntry("reason", "refused");
        assertThat(logged.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains(stubborn).contains(PRACTICE_ID.value()).contains("3 tries"));
        assertThat(fx.engine.verifyAuditTrail(PRACTICE_ID).isIntact()).isTrue();
    }

    @Test
    void refusedCredentialsPauseTheRedactionsWithoutCountingATry() {
        ScriptedRedactions provider = new ScriptedRedactions();
        EngineFixture fx = EngineFixture.builder().smsWrapper(provider::around)
                .engine(b -> b.redactProviderCopies(true).providerRedactionTries(1)).build();
        aWeek(fx);
        provider.misconfigured(true);

        fx.clock.set(PAST_RETENTION);
        fx.engine.purgeExpiredMessageBodies();
        assertThat(provider.asked()).as("the first refusal stops the practice's run").hasSize(1);
        assertThat(fx.auditEvents()).noneMatch(e -> e.type().name().startsWith("PROVIDER_COPY"));

        provider.misconfigured(false);
        provider.clearAsked();
        fx.engine.purgeExpiredMessageBodies();
        assertThat(provider.asked()).hasSize(outboundIds(fx).size() + 3);
        assertThat(outcomes(fx, AuditType.PROVIDER_COPY_REDACTED)).hasSize(outboundIds(fx).size() + 3);
    }

    private static List<String> outboundIds(EngineFixture fx) {
        return fx.texts.stream().map(Text::result).map(r -> r.providerMessageId()).toList();
    }

    /** @return the events of a type by the provider id they name (one each, or the test fails) */
    private static Map<String, dev.followup.audit.AuditEvent> outcomes(EngineFixture fx, AuditType type) {
        return fx.auditEvents().stream().filter(e -> e.type() == type)
                .collect(java.util.stream.Collectors.toMap(e -> e.attributes().get("providerId"), e -> e));
    }

    private static dev.followup.audit.AuditEvent notRedacted(EngineFixture fx, String providerId) {
        return outcomes(fx, AuditType.PROVIDER_COPY_NOT_REDACTED).get(providerId);
    }

    /**
     * A provider whose answers to redaction requests a test scripts: it confirms every request
     * (outbound and inbound alike) unless told otherwise, and records every request it was asked.
     */
    private static final class ScriptedRedactions {
        private final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Map<String, java.util.Deque<Object>> scripted = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.Set<String> stubborn = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private volatile boolean misconfigured;

        dev.followup.spi.SmsSender around(dev.followup.spi.SmsSender sender) {
            return new dev.followup.spi.SmsSender() {
                @Override
                public dev.followup.spi.SendResult send(dev.followup.spi.OutboundSms sms) {
                    return sender.send(sms);
                }

                @Override
                public java.util.Optional<ProviderMessage> lookup(dev.followup.practice.PracticeId practiceId, String attemptId) {
                    return sender.lookup(practiceId, attemptId);
                }

                @Override
                public boolean redact(dev.followup.practice.PracticeId practiceId, String providerMessageId) {
                    asked.add(providerMessageId);
                    if (misconfigured) {
                        throw new dev.followup.InvalidConfigurationException("credentials of practice " + practiceId + " refused");
                    }
                    if (stubborn.contains(providerMessageId)) {
                        return false;
                    }
                    Object next = java.util.Optional.ofNullable(scripted.get(providerMessageId)).map(java.util.Deque::pollFirst).orElse(true);
                    if (next instanceof RuntimeException e) {
                        throw e;
                    }
                    return (Boolean) next;
                }
            };
        }

        /** @param answer the answer to the next request for this id: a Boolean, or an exception to throw */
        void answer(String providerId, Object answer) {
            scripted.computeIfAbsent(providerId, id -> new java.util.concurrent.ConcurrentLinkedDeque<>()).addLast(answer);
        }

        void alwaysRefuse(String providerId) {
            stubborn.add(providerId);
        }

        void misconfigured(boolean on) {
            misconfigured = on;
        }

        List<String> asked() {
            return List.copyOf(asked);
        }

        void clearAsked() {
            asked.clear();
        }
    }
}
