package dev.followup.engine;

import static dev.followup.engine.EngineFixture.PRACTICE_ID;
import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.PracticeSettings;
import dev.followup.RunSummary;
import dev.followup.StorageException;
import dev.followup.audit.AuditType;
import dev.followup.engine.EngineFixture.Mail;
import dev.followup.engine.EngineFixture.Row;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpState;
import dev.followup.message.AttemptState;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.DeliveryUpdate;
import dev.followup.message.MessageTemplate;
import dev.followup.message.MessageTemplates;
import dev.followup.message.TemplateNames;
import dev.followup.patient.Language;
import dev.followup.message.SendAttempt;
import dev.followup.practice.PracticeId;
import dev.followup.spi.Claim;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.OutboundSms;
import dev.followup.spi.PracticeTransaction;
import dev.followup.spi.SendResult;
import dev.followup.spi.SmsSender;
import dev.followup.task.TaskKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A node that dies between recording a send attempt and recording its result leaves a PENDING
 * attempt: after the lease expires it is reconciled (looked up, else counted as sent), no second
 * invitation goes out, and the ladder carries on.
 */
class CrashRecoveryEngineTest {

    /** The JVM dying, as far as the engine can tell: an Error nobody catches. */
    static final class Crash extends Error {
        Crash() {
            super("simulated crash");
        }
    }

    /** Crashes on the first send, after (or before) the provider took the message. */
    static SmsSender crashingOnce(SmsSender delegate, boolean providerGetsIt) {
        AtomicBoolean crashed = new AtomicBoolean();
        return new SmsSender() {
            @Override
            public SendResult send(OutboundSms sms) {
                if (crashed.compareAndSet(false, true)) {
                    if (providerGetsIt) {
                        delegate.send(sms);
                    }
                    throw new Crash();
                }
                return delegate.send(sms);
            }

            @Override
            public Optional<ProviderMessage> lookup(PracticeId practiceId, String attemptId) {
                return delegate.lookup(practiceId, attemptId);
            }
        };
    }

    private static SendAttempt onlyAttempt(EngineFixture fx, FollowUp f) {
        List<SendAttempt> attempts = fx.attemptsOf(f);
        assertThat(attempts).hasSize(1);
        return attempts.get(0);
    }

    /** Runs the crash: ingestion at 09:00, the node dies while sending at 10:00, a new node starts. */
    private static FollowUp crashAtTen(EngineFixture fx, Row row) {
        fx.ingestNew(row);
        fx.run();
        fx.clock.set(chicago(2026, 4, 13, 10, 0));
        assertThatThrownBy(fx::run).isInstanceOf(Crash.class);
        FollowUp f = fx.followUpOf(row);
        assertThat(onlyAttempt(fx, f).state()).isEqualTo(AttemptState.PENDING);
        fx.engine = fx.newEngine("node-2");
        return f;
    }

    @Test
    void anAttemptTheProviderTookIsFoundAndNotResent() {
        EngineFixture fx = EngineFixture.builder().smsWrapper(s -> crashingOnce(s, true)).build();
        Row row = patient(1);
        FollowUp f = crashAtTen(fx, row);
        assertThat(fx.textsTo(row)).hasSize(1);

        fx.clock.advance(Duration.ofMinutes(2));
        fx.run();
        assertThat(onlyAttempt(fx, f).state()).as("the lease still holds").isEqualTo(AttemptState.PENDING);

        fx.clock.set(chicago(2026, 4, 13, 10, 6));
        fx.run();

        SendAttempt reconciled = onlyAttempt(fx, f);
        assertThat(reconciled.state()).isEqualTo(AttemptState.SENT);
        assertThat(reconciled.providerMessageId()).isEqualTo(fx.textsTo(row).get(0).result().providerMessageId());
        assertThat(fx.textsTo(row)).as("no second invitation").hasSize(1);
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.CONTACTING);
        assertThat(fx.auditEvents()).filteredOn(e -> e.type() == AuditType.MESSAGE_SENT).singleElement()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("reconciled", "true"));

        fx.runFor(Duration.ofDays(3));
        assertThat(fx.textsTo(row)).hasSize(1);
        assertThat(fx.mailsTo(row)).extracting(Mail::at).containsExactly(chicago(2026, 4, 14, 10, 0));
        assertThat(fx.openTasks()).singleElement().satisfies(t -> assertThat(t.kind()).isEqualTo(TaskKind.CALL_PATIENT));
    }

    @Test
    void afterReconcilingTheNextRungStillWaitsForItsDelay() {
        // Limits loose enough that they do not hold the email back: only the rung's 24 h delay should.
        EngineFixture fx = EngineFixture.builder().smsWrapper(s -> crashingOnce(s, true))
                .practice(p -> p.contactLimits(new dev.followup.practice.ContactLimits(5, 10))).build();
        Row row = patient(1);
        crashAtTen(fx, row);

        fx.clock.set(chicago(2026, 4, 13, 10, 6));
        fx.run();

        assertThat(fx.mailsTo(row)).as("the email rung is due 24 h after the text, not at recovery").isEmpty();
        fx.runFor(Duration.ofDays(3));
        assertThat(fx.textsTo(row)).hasSize(1);
        assertThat(fx.mailsTo(row)).extracting(Mail::at).containsExactly(chicago(2026, 4, 14, 10, 0));
    }

    @Test
    void anAttemptNobodyKnowsIsCountedAsSentUnconfirmed() {
        EngineFixture fx = EngineFixture.builder().smsWrapper(s -> crashingOnce(s, false)).build();
        Row row = patient(2);
        FollowUp f = crashAtTen(fx, row);

        fx.clock.set(chicago(2026, 4, 13, 10, 6));
        fx.run();

        assertThat(onlyAttempt(fx, f).state()).isEqualTo(AttemptState.UNCONFIRMED);
        assertThat(fx.auditEvents()).filteredOn(e -> e.type() == AuditType.MESSAGE_UNCONFIRMED).hasSize(1);
        fx.runFor(Duration.ofDays(3));
        assertThat(fx.textsTo(row)).as("never risk a duplicate").isEmpty();
        assertThat(fx.mailsTo(row)).extracting(Mail::at).containsExactly(chicago(2026, 4, 14, 10, 0));
        assertThat(fx.openTasks()).hasSize(1);
    }

    @Test
    void aStatusCallbackThatCarriedTheAttemptIdSettlesItAndNothingIsResent() {
        EngineFixture fx = EngineFixture.builder().smsWrapper(s -> crashingOnce(s, true)).build();
        Row row = patient(3);
        FollowUp f = crashAtTen(fx, row);
        SendAttempt pending = onlyAttempt(fx, f);
        String sid = fx.textsTo(row).get(0).result().providerMessageId();

        fx.clock.advance(Duration.ofSeconds(20));
        assertThat(fx.engine.handleDeliveryUpdate(new DeliveryUpdate(PRACTICE_ID, pending.id(), sid, DeliveryStatus.SENT, null,
                fx.clock.instant()))).isTrue();
        assertThat(onlyAttempt(fx, f).state()).isEqualTo(AttemptState.SENT);

        fx.runFor(Duration.ofDays(3));

        assertThat(fx.textsTo(row)).as("no second invitation").hasSize(1);
        assertThat(fx.mailsTo(row)).extracting(Mail::at).containsExactly(chicago(2026, 4, 14, 10, 0));
        assertThat(fx.openTasks()).hasSize(1);
    }

    @Test
    void aStoreFailureAfterTheSendIsReconciledWithoutASecondSend() {
        AtomicBoolean failNextTransaction = new AtomicBoolean();
        EngineFixture fx = EngineFixture.builder()
                .smsWrapper(s -> new SmsSender() {
                    @Override
                    public SendResult send(OutboundSms sms) {
                        SendResult result = s.send(sms);
                        failNextTransaction.set(true);
                        return result;
                    }

                    @Override
                    public Optional<ProviderMessage> lookup(PracticeId practiceId, String attemptId) {
                        return s.lookup(practiceId, attemptId);
                    }
                })
                .storeWrapper(store -> new FollowUpStore() {
                    @Override
                    public <T> T inTransaction(PracticeId practiceId, Function<PracticeTransaction, T> work) {
                        if (failNextTransaction.getAndSet(false)) {
                            throw new StorageException("database connection lost");
                        }
                        return store.inTransaction(practiceId, work);
                    }

                    @Override
                    public List<Claim> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
                        return store.claimDue(now, limit, owner, leaseUntil);
                    }
                }).build();
        Row row = patient(4);
        fx.ingestNew(row);

        fx.runUntil(chicago(2026, 4, 13, 12, 0));

        FollowUp f = fx.followUpOf(row);
        assertThat(fx.textsTo(row)).hasSize(1);
        assertThat(onlyAttempt(fx, f).state()).isEqualTo(AttemptState.SENT);
        assertThat(f.state()).isEqualTo(FollowUpState.CONTACTING);
        assertThat(f.nextActionAt()).isEqualTo(chicago(2026, 4, 14, 10, 0));
        fx.runFor(Duration.ofDays(3));
        assertThat(fx.textsTo(row)).hasSize(1);
        assertThat(fx.mailsTo(row)).hasSize(1);
    }

    /** A follow-up whose processing fails every time (here: the store refuses its attempts) is retried after its lease. */
    @Test
    void aFollowUpThatAlwaysFailsIsRetriedAfterItsLeaseNotInATightLoop() {
        java.util.concurrent.atomic.AtomicReference<dev.followup.patient.PatientId> brokenId = new java.util.concurrent.atomic.AtomicReference<>();
        EngineFixture fx = EngineFixture.builder().storeWrapper(store -> new dev.followup.spi.FollowUpStore() {
            @Override
            public <T> T inTransaction(dev.followup.practice.PracticeId practiceId,
                    java.util.function.Function<dev.followup.spi.PracticeTransaction, T> work) {
                return store.inTransaction(practiceId, tx -> work.apply(refusingAttemptsOf(tx, brokenId)));
            }

            @Override
            public java.util.List<dev.followup.spi.Claim> claimDue(java.time.Instant now, int limit, String owner, java.time.Instant leaseUntil) {
                return store.claimDue(now, limit, owner, leaseUntil);
            }
        }).build();
        Row broken = patient(5);
        Row spanish = patient(6).language("es");
        fx.ingestNew(broken, spanish);
        brokenId.set(fx.patient(broken).id());
        fx.clock.set(chicago(2026, 4, 13, 10, 0));

        RunSummary first = fx.run();

        assertThat(first.errors()).isEqualTo(1);
        assertThat(fx.textsTo(spanish)).as("the others go on").hasSize(1);
        assertThat(fx.textsTo(broken)).isEmpty();
        fx.clock.advance(Duration.ofMinutes(1));
        assertThat(fx.run().errors()).as("within the lease").isZero();
        fx.clock.advance(Duration.ofMinutes(5));
        assertThat(fx.run().errors()).as("after the lease").isEqualTo(1);
        assertThat(fx.textsTo(broken)).isEmpty();
    }

    /** A transaction whose store fails on every attempt of one patient, as a broken database row would. */
    private static dev.followup.spi.PracticeTransaction refusingAttemptsOf(dev.followup.spi.PracticeTransaction tx,
            java.util.concurrent.atomic.AtomicReference<dev.followup.patient.PatientId> patient) {
        return (dev.followup.spi.PracticeTransaction) java.lang.reflect.Proxy.newProxyInstance(
                dev.followup.spi.PracticeTransaction.class.getClassLoader(), new Class<?>[] {dev.followup.spi.PracticeTransaction.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("insertAttempt") && args[0] instanceof dev.followup.message.SendAttempt a
                            && patient.get() != null && patient.get().equals(a.patientId())) {
                        throw new dev.followup.StorageException("simulated storage failure for attempt " + a.id());
                    }
                    try {
                        return method.invoke(tx, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
