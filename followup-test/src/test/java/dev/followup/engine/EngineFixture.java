package dev.followup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.FollowUpEngine;
import dev.followup.PracticeSettings;
import dev.followup.RunSummary;
import dev.followup.audit.AuditEvent;
import dev.followup.conversation.InboundResult;
import dev.followup.conversation.InboundSms;
import dev.followup.followup.FollowUp;
import dev.followup.ingest.ImportResult;
import dev.followup.message.MessagePurpose;
import dev.followup.message.SendAttempt;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.patient.PhoneNumber;
import dev.followup.policy.EscalationPolicy;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.spi.Claim;
import dev.followup.spi.EmailSender;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.OutboundEmail;
import dev.followup.spi.OutboundSms;
import dev.followup.spi.PracticeTransaction;
import dev.followup.spi.SendResult;
import dev.followup.spi.SmsSender;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskState;
import dev.followup.test.InMemoryEmailSender;
import dev.followup.test.InMemoryFollowUpStore;
import dev.followup.test.InMemoryScheduling;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * One engine on a mutable clock with the in-memory adapters, for the engine tests: a practice in
 * Chicago (default send window, weekdays 10:00-14:00), synthetic patients ingested through the
 * generic CSV profile, senders that record the clock time of every send, and helpers that read
 * the store. Every test builds its own.
 */
final class EngineFixture {
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    static final PracticeId PRACTICE_ID = PracticeId.of("lakeside-clinic");
    static final String PRACTICE_NAME = "Lakeside Clinic";
    static final String PRACTICE_PHONE = "(312) 555-0100";
    /** Monday 13 April 2026, 09:00 in Chicago (CDT): an hour before the default window opens. */
    static final Instant MONDAY_0900 = chicago(2026, 4, 13, 9, 0);
    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
    private static final String HEADER = "MRN,First Name,Last Name,Phone,Email,Provider,Follow-Up Type,Preferred Window,Language,Due Date,Time Zone";

    final MutableClock clock;
    final InMemoryFollowUpStore memoryStore;
    final FollowUpStore store;
    final InMemorySmsSender sms = new InMemorySmsSender();
    final InMemoryEmailSender email = new InMemoryEmailSender();
    final InMemoryScheduling scheduling = new InMemoryScheduling(CHICAGO);
    final List<Text> texts = Collections.synchronizedList(new ArrayList<>());
    final List<Mail> mails = Collections.synchronizedList(new ArrayList<>());
    final Practice practice;
    final List<Practice> practices;
    private final Builder config;
    private final SmsSender smsPort;
    private final AtomicInteger inboundIds = new AtomicInteger();
    FollowUpEngine engine;

    /** An SMS handed to the provider, with the clock time of the call and the provider's answer. */
    record Text(Instant at, OutboundSms sms, SendResult result) {
        String to() {
            return sms.to().e164();
        }

        String body() {
            return sms.body();
        }
    }

    /** An email handed to the provider, with the clock time of the call and the provider's answer. */
    record Mail(Instant at, OutboundEmail email, SendResult result) {
        String to() {
            return email.to().value();
        }
    }

    /** A synthetic patient row of the generic CSV profile. */
    record Row(String mrn, String first, String last, String phone, String mail, String provider, String type, String window,
            String language, String due, String zone) {
        Row phone(String p) {
            return new Row(mrn, first, last, p, mail, provider, type, window, language, due, zone);
        }

        Row email(String e) {
            return new Row(mrn, first, last, phone, e, provider, type, window, language, due, zone);
        }

        Row type(String t) {
            return new Row(mrn, first, last, phone, mail, provider, t, window, language, due, zone);
        }

        Row window(String w) {
            return new Row(mrn, first, last, phone, mail, provider, type, w, language, due, zone);
        }

        Row language(String l) {
            return new Row(mrn, first, last, phone, mail, provider, type, window, l, due, zone);
        }

        Row zone(String z) {
            return new Row(mrn, first, last, phone, mail, provider, type, window, language, due, z);
        }

        Row mrn(String m) {
            return new Row(m, first, last, phone, mail, provider, type, window, language, due, zone);
        }

        Row name(String f, String l) {
            return new Row(mrn, f, l, phone, mail, provider, type, window, language, due, zone);
        }

        Row due(String d) {
            return new Row(mrn, first, last, phone, mail, provider, type, window, language, d, zone);
        }

        PhoneNumber phoneNumber() {
            return PhoneNumber.parse(phone, "US");
        }

        String csvLine() {
            return String.join(",", List.of(mrn, first, last, phone, mail, provider, type, window, language, due, zone).stream()
                    .map(EngineFixture::quote).toList());
        }
    }

    /**
     * @param n 0 to 99
     * @return synthetic patient n: a Chicago 555 number (+1 312 555 01nn), an example.com address,
     *     a post-op follow-up with any preferred window, in English, zone unknown
     */
    static Row patient(int n) {
        if (n < 0 || n > 99) {
            throw new IllegalArgumentException("patient numbers are 0 to 99");
        }
        return new Row("T" + (1000 + n), "Pat" + n, "Tester", String.format("+1312555%04d", 100 + n), "pat" + n + "@example.com",
                "Dr. Rivera", "Post-Op", "Any", "en", "", "");
    }

    static Instant chicago(int year, int month, int day, int hour, int minute) {
        return local(CHICAGO, year, month, day, hour, minute);
    }

    static Instant local(ZoneId zone, int year, int month, int day, int hour, int minute) {
        return ZonedDateTime.of(year, month, day, hour, minute, 0, 0, zone).toInstant();
    }

    static String quote(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    static String csv(List<Row> rows) {
        return HEADER + "\n" + rows.stream().map(Row::csvLine).collect(Collectors.joining("\n")) + "\n";
    }

    static Practice.Builder defaultPractice() {
        return Practice.builder(PRACTICE_ID).name(PRACTICE_NAME).callbackPhone(PRACTICE_PHONE).timeZone(CHICAGO)
                .smsFrom("+13125550199").emailFrom("care@lakeside.example");
    }

    static Builder builder() {
        return new Builder();
    }

    static EngineFixture create() {
        return builder().build();
    }

    /** Configures a fixture; everything has a default. */
    static final class Builder {
        Instant start = MONDAY_0900;
        UnaryOperator<Practice.Builder> practice = b -> b;
        PracticeSettings settings = PracticeSettings.defaults();
        final List<EscalationPolicy> policies = new ArrayList<>();
        final List<Practice> otherPractices = new ArrayList<>();
        Consumer<FollowUpEngine.Builder> engine = b -> { };
        UnaryOperator<SmsSender> smsWrapper = s -> s;
        UnaryOperator<FollowUpStore> storeWrapper = s -> s;
        boolean scheduling = true;

        Builder start(Instant at) {
            this.start = at;
            return this;
        }

        Builder practice(UnaryOperator<Practice.Builder> change) {
            this.practice = change;
            return this;
        }

        Builder settings(PracticeSettings s) {
            this.settings = s;
            return this;
        }

        Builder policy(EscalationPolicy p) {
            policies.add(p);
            return this;
        }

        Builder otherPractice(Practice p) {
            otherPractices.add(p);
            return this;
        }

        Builder engine(Consumer<FollowUpEngine.Builder> change) {
            this.engine = change;
            return this;
        }

        Builder smsWrapper(UnaryOperator<SmsSender> wrapper) {
            this.smsWrapper = wrapper;
            return this;
        }

        Builder storeWrapper(UnaryOperator<FollowUpStore> wrapper) {
            this.storeWrapper = wrapper;
            return this;
        }

        Builder withoutScheduling() {
            this.scheduling = false;
            return this;
        }

        EngineFixture build() {
            return new EngineFixture(this);
        }
    }

    /**
     * @param afterClaim given each claim's result once the store has made it, before the engine gets it
     * @return a store wrapper for {@link Builder#storeWrapper}
     */
    static UnaryOperator<FollowUpStore> afterEachClaim(Consumer<List<Claim>> afterClaim) {
        return store -> new FollowUpStore() {
            @Override
            public <T> T inTransaction(PracticeId practiceId, Function<PracticeTransaction, T> work) {
                return store.inTransaction(practiceId, work);
            }

            @Override
            public List<Claim> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
                List<Claim> claims = store.claimDue(now, limit, owner, leaseUntil);
                afterClaim.accept(claims);
                return claims;
            }
        };
    }

    /**
     * @param seen given each call to a store transaction (its method and arguments) before the call is made
     * @return a store wrapper for {@link Builder#storeWrapper}
     */
    static UnaryOperator<FollowUpStore> beforeEachCall(BiConsumer<java.lang.reflect.Method, Object[]> seen) {
        return store -> new FollowUpStore() {
            @Override
            public <T> T inTransaction(PracticeId practiceId, Function<PracticeTransaction, T> work) {
                return store.inTransaction(practiceId, tx -> work.apply((PracticeTransaction) java.lang.reflect.Proxy.newProxyInstance(
                        PracticeTransaction.class.getClassLoader(), new Class<?>[] {PracticeTransaction.class}, (proxy, method, args) -> {
                            seen.accept(method, args);
                            try {
                                return method.invoke(tx, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        })));
            }

            @Override
            public List<Claim> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
                return store.claimDue(now, limit, owner, leaseUntil);
            }
        };
    }

    private EngineFixture(Builder b) {
        this.config = b;
        this.clock = MutableClock.at(b.start);
        this.memoryStore = new InMemoryFollowUpStore();
        this.store = b.storeWrapper.apply(memoryStore);
        this.practice = b.practice.apply(defaultPractice()).build();
        List<Practice> all = new ArrayList<>();
        all.add(practice);
        all.addAll(b.otherPractices);
        this.practices = List.copyOf(all);
        this.smsPort = b.smsWrapper.apply(new RecordingSms(sms));
        this.engine = newEngine("node-1");
    }

    /**
     * @param nodeId the node's id
     * @return another engine over the same store, senders and clock (a restart, or a second node)
     */
    FollowUpEngine newEngine(String nodeId) {
        return newEngine(nodeId, smsPort);
    }

    FollowUpEngine newEngine(String nodeId, SmsSender smsSender) {
        FollowUpEngine.Builder b = FollowUpEngine.builder().clock(clock).store(store).smsSender(smsSender)
                .emailSender(new RecordingEmail(email)).nodeId(nodeId).taskSink(t -> { })
                .pacingSleeper(clock::advance);
        if (config.scheduling) {
            b.slotProvider(scheduling).appointmentBooker(scheduling);
        }
        config.policies.forEach(b::policy);
        b.practice(practice, config.settings);
        config.otherPractices.forEach(b::practice);
        config.engine.accept(b);
        return b.build();
    }

    // ---- acting ---------------------------------------------------------------------------

    ImportResult ingest(Row... rows) {
        return ingest(PRACTICE_ID, List.of(rows));
    }

    ImportResult ingest(PracticeId practiceId, List<Row> rows) {
        return engine.ingest(practiceId, new ByteArrayInputStream(csv(rows).getBytes(StandardCharsets.UTF_8)), null);
    }

    /** Ingests rows that must all be accepted as new follow-ups. */
    void ingestNew(Row... rows) {
        ImportResult result = ingest(rows);
        assertThat(result.rejected()).as("rejected rows: %s", result.errors()).isZero();
        assertThat(result.accepted()).isEqualTo(rows.length);
    }

    RunSummary run() {
        return engine.runDueWork();
    }

    InboundResult reply(Row from, String text) {
        return reply(PRACTICE_ID, from.phone(), text);
    }

    InboundResult reply(PracticeId practiceId, String fromE164, String text) {
        return engine.handleInboundSms(new InboundSms(practiceId, "SMin" + inboundIds.incrementAndGet(), PhoneNumber.ofE164(fromE164),
                text, clock.instant()));
    }

    /**
     * Runs due work, then jumps the clock to the next scheduled action, until {@code until}; the
     * engine therefore acts at the exact moment each step falls due.
     */
    void runUntil(Instant until) {
        for (int guard = 0; guard < 10_000; guard++) {
            engine.runDueWork();
            Instant now = clock.instant();
            Optional<Instant> next = nextActionAt();
            if (next.isEmpty() || next.get().isAfter(until)) {
                if (now.isBefore(until)) {
                    clock.set(until);
                    engine.runDueWork();
                }
                return;
            }
            clock.set(next.get().isAfter(now) ? next.get() : now.plus(Duration.ofMinutes(1)));
        }
        throw new AssertionError("runUntil did not settle");
    }

    void runFor(Duration d) {
        runUntil(clock.instant().plus(d));
    }

    Optional<Instant> nextActionAt() {
        List<Instant> next = new ArrayList<>();
        for (Practice p : practices) {
            store.inTransaction(p.id(), tx -> {
                tx.forEachFollowUpTouched(Instant.EPOCH, FAR, f -> {
                    if (f.isActive() && f.nextActionAt() != null) {
                        next.add(f.nextActionAt());
                    }
                });
                return null;
            });
        }
        return next.stream().min(Instant::compareTo);
    }

    // ---- reading --------------------------------------------------------------------------

    List<Text> textsTo(Row r) {
        return textsTo(r.phone());
    }

    List<Text> textsTo(String e164) {
        synchronized (texts) {
            return texts.stream().filter(t -> t.to().equals(e164)).toList();
        }
    }

    List<Mail> mailsTo(Row r) {
        synchronized (mails) {
            return mails.stream().filter(m -> m.to().equalsIgnoreCase(r.mail())).toList();
        }
    }

    List<Patient> patients(Row r) {
        return store.inTransaction(PRACTICE_ID, tx -> {
            List<Patient> found = new ArrayList<>();
            tx.forEachFollowUpTouched(Instant.EPOCH, FAR, f -> tx.patient(f.patientId()).ifPresent(p -> {
                if (p.mrn() != null && p.mrn().value().equals(r.mrn()) && !found.contains(p)) {
                    found.add(p);
                }
            }));
            return found;
        });
    }

    Patient patient(Row r) {
        List<Patient> found = patients(r);
        assertThat(found).as("patients with MRN %s", r.mrn()).hasSize(1);
        return found.get(0);
    }

    List<FollowUp> followUps() {
        return followUps(PRACTICE_ID);
    }

    List<FollowUp> followUps(PracticeId practiceId) {
        return store.inTransaction(practiceId, tx -> {
            List<FollowUp> all = new ArrayList<>();
            tx.forEachFollowUpTouched(Instant.EPOCH, FAR, all::add);
            return all;
        });
    }

    List<FollowUp> followUpsOf(Row r) {
        PatientId id = patient(r).id();
        return followUps().stream().filter(f -> f.patientId().equals(id)).toList();
    }

    /** @return the only follow-up of the patient, as stored now */
    FollowUp followUpOf(Row r) {
        List<FollowUp> found = followUpsOf(r);
        assertThat(found).as("follow-ups of MRN %s", r.mrn()).hasSize(1);
        return found.get(0);
    }

    FollowUp reload(FollowUp f) {
        return engine.followUp(f.practiceId(), f.id()).orElseThrow();
    }

    List<SendAttempt> attempts() {
        return attempts(PRACTICE_ID);
    }

    List<SendAttempt> attempts(PracticeId practiceId) {
        return store.inTransaction(practiceId, tx -> {
            List<SendAttempt> all = new ArrayList<>();
            tx.forEachAttemptCreated(Instant.EPOCH, FAR, all::add);
            return all;
        });
    }

    List<SendAttempt> attemptsOf(FollowUp f) {
        return store.inTransaction(f.practiceId(), tx -> tx.attemptsOf(f.id()));
    }

    List<SendAttempt> attemptsFor(Row r, MessagePurpose purpose) {
        Set<PatientId> ids = patients(r).stream().map(Patient::id).collect(Collectors.toSet());
        return attempts().stream().filter(a -> a.purpose() == purpose && ids.contains(a.patientId())).toList();
    }

    List<StaffTask> openTasks() {
        return engine.openTasks(PRACTICE_ID);
    }

    List<StaffTask> allTasks() {
        return allTasks(PRACTICE_ID);
    }

    List<StaffTask> allTasks(PracticeId practiceId) {
        return store.inTransaction(practiceId, tx -> tx.tasks(EnumSet.allOf(TaskState.class)));
    }

    List<AuditEvent> auditEvents() {
        return auditEvents(PRACTICE_ID);
    }

    List<AuditEvent> auditEvents(PracticeId practiceId) {
        return store.inTransaction(practiceId, tx -> {
            List<AuditEvent> events = new ArrayList<>();
            tx.forEachAuditEvent(events::add);
            return events;
        });
    }

    /** @return the local time of a sent text in a zone */
    static ZonedDateTime localTime(Text t, ZoneId zone) {
        return t.at().atZone(zone);
    }

    /** Records every SMS with the clock time at which the engine handed it over. */
    private final class RecordingSms implements SmsSender {
        private final InMemorySmsSender delegate;

        RecordingSms(InMemorySmsSender delegate) {
            this.delegate = delegate;
        }

        @Override
        public SendResult send(OutboundSms message) {
            SendResult result = delegate.send(message);
            texts.add(new Text(clock.instant(), message, result));
            return result;
        }

        @Override
        public Optional<ProviderMessage> lookup(PracticeId practiceId, String attemptId) {
            return delegate.lookup(practiceId, attemptId);
        }

        @Override
        public boolean redact(PracticeId practiceId, String providerMessageId) {
            return delegate.redact(practiceId, providerMessageId);
        }
    }

    /** Records every email with the clock time at which the engine handed it over. */
    private final class RecordingEmail implements EmailSender {
        private final InMemoryEmailSender delegate;

        RecordingEmail(InMemoryEmailSender delegate) {
            this.delegate = delegate;
        }

        @Override
        public SendResult send(OutboundEmail message) {
            SendResult result = delegate.send(message);
            mails.add(new Mail(clock.instant(), message, result));
            return result;
        }
    }
}
