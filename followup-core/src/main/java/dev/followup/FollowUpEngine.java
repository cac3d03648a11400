package dev.followup;

import dev.followup.audit.AuditEvent;
import dev.followup.audit.AuditHead;
import dev.followup.audit.AuditType;
import dev.followup.audit.AuditVerification;
import dev.followup.conversation.InboundResult;
import dev.followup.conversation.InboundSms;
import dev.followup.conversation.ReplyClassifier;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.ingest.CsvMapping;
import dev.followup.ingest.ImportResult;
import dev.followup.internal.EngineContext;
import dev.followup.internal.GuardedListeners;
import dev.followup.internal.Ingestor;
import dev.followup.internal.OutreachRunner;
import dev.followup.internal.ProviderRedactor;
import dev.followup.internal.ReplyHandler;
import dev.followup.internal.ReportCompiler;
import dev.followup.internal.SendPacer;
import dev.followup.internal.TaskDesk;
import dev.followup.message.DeliveryUpdate;
import dev.followup.message.MessageTemplate;
import dev.followup.message.MessageTemplates;
import dev.followup.message.SegmentCount;
import dev.followup.message.SendRate;
import dev.followup.message.SmsPricing;
import dev.followup.message.SmsSegments;
import dev.followup.message.TemplateNames;
import dev.followup.policy.EscalationPolicy;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.report.WeeklyReport;
import dev.followup.spi.AppointmentBooker;
import dev.followup.spi.EmailSender;
import dev.followup.spi.EngineListener;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.SlotProvider;
import dev.followup.spi.SmsSender;
import dev.followup.spi.TaskSink;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskCard;
import dev.followup.task.TaskId;
import dev.followup.task.TaskOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The follow-up engine: ingests patient lists, takes due outreach steps, applies replies and
 * delivery statuses, runs the staff task list, and reports. Thread-safe; several engines (in one
 * process or many) may share one store, each with its own node id.
 *
 * <pre>{@code
 * FollowUpEngine engine = FollowUpEngine.builder()
 *     .clock(Clock.systemUTC())
 *     .store(store)
 *     .smsSender(twilio)
 *     .emailSender(smtp)
 *     .slotProvider(slots).appointmentBooker(booker)
 *     .practice(practice)
 *     .build();
 * engine.ingest(practice.id(), Path.of("followups.csv"));
 * engine.runDueWork();                 // call on a schedule, e.g. every minute
 * engine.handleInboundSms(inbound);    // from the SMS webhook
 * }</pre>
 */
public final class FollowUpEngine {
    /** How often a provider copy of a text is asked for, by default, before it is given up on. */
    public static final int DEFAULT_PROVIDER_REDACTION_TRIES = 8;
    private final EngineContext ctx;
    private final OutreachRunner outreach;
    private final ReplyHandler replies;
    private final TaskDesk tasks;
    private final Ingestor ingestor;
    private final ReportCompiler reports;
    private final List<String> templateWarnings;
    private final Map<PracticeId, String> emailingWithoutFrom;
    private final boolean redactProviderCopies;
    private final ProviderRedactor redactor;

    private FollowUpEngine(EngineContext ctx, List<String> templateWarnings, Map<PracticeId, String> emailingWithoutFrom,
            boolean redactProviderCopies, int providerRedactionTries) {
        this.ctx = ctx;
        this.emailingWithoutFrom = Map.copyOf(emailingWithoutFrom);
        this.redactProviderCopies = redactProviderCopies;
        this.redactor = new ProviderRedactor(ctx, providerRedactionTries);
        this.outreach = new OutreachRunner(ctx);
        this.replies = new ReplyHandler(ctx);
        this.tasks = new TaskDesk(ctx);
        this.ingestor = new Ingestor(ctx);
        this.reports = new ReportCompiler(ctx);
        this.templateWarnings = List.copyOf(templateWarnings);
    }

    /** @return a builder; a store and at least one practice are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Ingests a patient list. Rows are read as a stream; good rows are stored even when others are
     * rejected, and a follow-up already known (same patient and need) is not added again.
     *
     * @param practiceId the practice the list belongs to
     * @param csv the CSV bytes (UTF-8 with or without BOM, or Windows-1252)
     * @param mapping the column mapping, or null to detect it from the header row
     * @return counts, and the rejected rows and the warnings on used rows with their line numbers
     *     and reasons (the first {@value ImportResult#DEFAULT_MAX_LISTED_ERRORS} of each)
     */
    public ImportResult ingest(PracticeId practiceId, InputStream csv, @Nullable CsvMapping mapping) {
        return ingestor.ingest(practiceId, csv, mapping);
    }

    /**
     * @param practiceId the practice
     * @param csv a CSV file
     * @return the import's result
     * @throws InvalidInputException if the file cannot be read
     */
    public ImportResult ingest(PracticeId practiceId, Path csv) {
        try (InputStream in = Files.newInputStream(csv)) {
            return ingest(practiceId, in, null);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the patient list file (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /**
     * Takes every step that is due now: claims due follow-ups in batches, checks consent, the send
     * window and contact limits (consent again just before each text), sends, and schedules the
     * next steps.
     * Call it on a schedule; it returns when nothing is due.
     *
     * <p>Runs may go on several threads at once, and should where the provider is slow to answer: a
     * run hands its texts to the provider one after another, so one run sends at most about one text
     * per provider round trip (a few a second with a real API). Each run claims its own batches and
     * leases them under its own owner ({@code <node id>#<run number>}), so no follow-up is worked on
     * by two runs, and pacing ({@link Builder#sendRate}) is shared by all runs of this engine.
     *
     * @return what it did
     */
    public RunSummary runDueWork() {
        return outreach.runDueWork();
    }

    /**
     * {@link #runDueWork()} that can be asked to stop early, for a graceful shutdown: the stop is
     * checked before each follow-up, the one in hand is finished (its send protocol completes), and
     * follow-ups claimed but not yet worked on are released at once for the next run or another node.
     *
     * @param stopRequested answers true once the run should end
     * @return what the run did
     */
    public RunSummary runDueWorkUntil(BooleanSupplier stopRequested) {
        return outreach.runDueWorkUntil(Objects.requireNonNull(stopRequested, "stopRequested"));
    }

    /**
     * A snapshot for health checks: the age of the oldest overdue step (one small store call, so a
     * failing store shows here) and which providers are configured.
     *
     * @return the snapshot
     * @throws StorageException if the store cannot be reached
     */
    public EngineHealth health() {
        Instant now = ctx.clock().instant();
        Instant oldest = ctx.store().oldestDue(now).orElse(null);
        java.util.Set<PracticeId> missing = new java.util.TreeSet<>(java.util.Comparator.comparing(PracticeId::value));
        for (Practice p : ctx.practices().values()) {
            if ((p.smsFrom() != null && ctx.sms() == null) || (p.emailFrom() != null && ctx.email() == null)) {
                missing.add(p.id());
            }
        }
        return new EngineHealth(now, oldest, ctx.practices().size(), ctx.sms() != null, ctx.email() != null,
                ctx.slots() != null && ctx.booker() != null, missing);
    }

    /**
     * Applies an inbound text: opt-out and opt-in, HELP, YES, slot choices, NO, or a staff task.
     * A repeated delivery of the same provider message is recognised and ignored.
     *
     * @param sms the text
     * @return what was done
     */
    public InboundResult handleInboundSms(InboundSms sms) {
        InboundResult result = replies.handle(sms);
        ctx.listener().replyHandled(sms.practiceId(), result.kind(), result.action());
        return result;
    }

    /**
     * Applies a provider's delivery status once; statuses never move backwards.
     *
     * @param update the status report
     * @return whether it changed anything
     */
    public boolean handleDeliveryUpdate(DeliveryUpdate update) {
        return replies.handle(update);
    }

    /**
     * Records an appointment booked outside the flow (EHR write-back), for attribution.
     *
     * @param practiceId the practice
     * @param followUpId the follow-up
     * @return the follow-up, booked
     */
    public FollowUp recordExternalBooking(PracticeId practiceId, FollowUpId followUpId) {
        return tasks.recordExternalBooking(practiceId, followUpId);
    }

    /**
     * @param practiceId a practice
     * @param followUpId a follow-up
     * @return the follow-up, if it belongs to the practice
     */
    public java.util.Optional<FollowUp> followUp(PracticeId practiceId, FollowUpId followUpId) {
        ctx.practice(practiceId);
        return ctx.inTransaction(practiceId, tx -> tx.followUp(followUpId));
    }

    /**
     * @param practiceId a practice
     * @param weekDay any day of the week wanted (Monday to Sunday, in the practice's zone)
     * @return the weekly report
     */
    public WeeklyReport weeklyReport(PracticeId practiceId, LocalDate weekDay) {
        return reports.weekly(practiceId, weekDay);
    }

    /**
     * The weekly reports of several consecutive weeks, for a trend. Each week is computed as
     * {@link #weeklyReport(PracticeId, LocalDate)} computes it, in its own read-only transaction.
     *
     * @param practiceId a practice
     * @param lastWeek any day of the last week wanted
     * @param weeks how many weeks, 1 to 104
     * @return the reports, oldest week first, ending with the week of {@code lastWeek}
     * @throws InvalidInputException if {@code weeks} is out of range
     */
    public List<WeeklyReport> weeklyReports(PracticeId practiceId, LocalDate lastWeek, int weeks) {
        if (weeks < 1 || weeks > 104) {
            throw new InvalidInputException("weeks must be 1 to 104, was " + weeks);
        }
        List<WeeklyReport> out = new ArrayList<>(weeks);
        for (int back = weeks - 1; back >= 0; back--) {
            out.add(reports.weekly(practiceId, lastWeek.minusWeeks(back)));
        }
        return out;
    }

    /**
     * @param practiceId a practice
     * @return its open and claimed staff tasks, oldest first
     */
    public List<StaffTask> openTasks(PracticeId practiceId) {
        return tasks.openTasks(practiceId);
    }

    /**
     * The staff task board: open and claimed tasks with the patient's name, the last digits of
     * their phone and the visit, read in the same transaction as the tasks. The cards hold PHI
     * (for the staff who call the patients); their {@code toString()} does not.
     *
     * @param practiceId a practice
     * @return its open and claimed tasks as cards, oldest first
     */
    public List<TaskCard> taskBoard(PracticeId practiceId) {
        return tasks.board(practiceId);
    }

    /**
     * @param practiceId the practice
     * @param taskId the task
     * @param staffId who takes it
     * @return the claimed task
     */
    public StaffTask claimTask(PracticeId practiceId, TaskId taskId, String staffId) {
        return tasks.claim(practiceId, taskId, staffId);
    }

    /**
     * @param practiceId the practice
     * @param taskId the task
     * @param staffId who completes it
     * @param outcome how it ended (resolves the follow-up it took over)
     * @return the completed task
     */
    public StaffTask completeTask(PracticeId practiceId, TaskId taskId, String staffId, TaskOutcome outcome) {
        return tasks.complete(practiceId, taskId, staffId, outcome);
    }

    /**
     * Checks a practice's audit trail: the hash chain from its first event, and that the trail still
     * reaches the head the store keeps beside it, so that events deleted from its end are caught too.
     *
     * @param practiceId a practice
     * @return whether its audit trail is intact, where it first breaks if not, and its head hash
     *         (store it elsewhere with {@link AuditVerification#eventsChecked()} to detect a rewrite
     *         later with {@link #verifyAuditTrail(PracticeId, long, String)})
     */
    public AuditVerification verifyAuditTrail(PracticeId practiceId) {
        ctx.practice(practiceId);
        return verify(practiceId, null);
    }

    /**
     * Checks a practice's audit trail as {@link #verifyAuditTrail(PracticeId)} does, and also that it
     * still holds, unchanged, a head recorded outside the store earlier (by an auditor, in a WORM
     * bucket): a trail rewritten from some event on with fresh hashes, its store's head moved along,
     * is a valid chain that only such a head can expose. The trail may have grown since.
     *
     * @param practiceId a practice
     * @param knownSequence the recorded head's sequence: an earlier verification's
     *        {@link AuditVerification#eventsChecked()} (0 for a trail that was empty)
     * @param knownHash the recorded head's hash: that verification's {@link AuditVerification#headHash()}
     * @return whether the trail is intact and holds that head, and where it first breaks if not
     * @throws InvalidInputException if no trail can have that head (a negative sequence, or a hash
     *         other than {@link AuditEvent#GENESIS} at 0)
     */
    public AuditVerification verifyAuditTrail(PracticeId practiceId, long knownSequence, String knownHash) {
        ctx.practice(practiceId);
        AuditHead known = new AuditHead(knownSequence, knownHash); // refuses an impossible head before reading the trail
        return verify(practiceId, known);
    }

    private AuditVerification verify(PracticeId practiceId, @Nullable AuditHead known) {
        return ctx.inTransaction(practiceId, tx -> {
            AuditHead storedHead;
            try {
                storedHead = tx.auditHead(); // before the events: see PracticeTransaction#auditHead
            } catch (InvalidInputException impossible) {
                // The store's head was changed to one no trail can have: tampering to report, not a failure to throw.
                return new AuditVerification(0, AuditEvent.GENESIS, 0L,
                        "the store's head of the trail is one no trail can have (a sequence below 0, or 0 without the genesis hash)");
            }
            List<AuditEvent> events = new ArrayList<>();
            tx.forEachAuditEvent(events::add);
            return known == null ? AuditVerification.of(events, storedHead)
                    : AuditVerification.of(events, storedHead, known.sequence(), known.hash());
        });
    }

    /**
     * Erases message bodies older than the retention period in every practice, keeping the
     * metadata reports and the audit trail need.
     *
     * <p>With {@link Builder#redactProviderCopies(boolean)} the SMS provider is first asked to erase
     * its copies of the texts past retention, the practice's outbound texts and the patients'
     * replies alike. The store remembers each copy until the provider confirms erasing it, so a
     * copy the provider refuses or cannot be asked about (a network error, a 5xx) is asked for again
     * on later runs, after a pause that grows from an hour to a day, and never again once confirmed.
     * After {@link Builder#providerRedactionTries(int)} tries it is given up on: audited as
     * {@link AuditType#PROVIDER_COPY_ABANDONED} and logged with its ids, for an operator to follow
     * up. Each outcome is audited. A provider whose credentials are refused is not counted against
     * the tries: its copies wait for the next run. The local purge goes ahead whatever the provider
     * answers.
     *
     * <p>A practice whose purge fails does not stop the others': they are purged, and then a
     * {@link StorageException} names the practices that failed.
     *
     * @return how many records lost their body
     * @throws StorageException if the purge of one or more practices failed (the others were purged)
     */
    public int purgeExpiredMessageBodies() {
        Instant now = ctx.clock().instant();
        Instant cutoff = now.minus(ctx.retention());
        int total = 0;
        Map<PracticeId, RuntimeException> failed = new LinkedHashMap<>();
        for (PracticeId id : ctx.practices().keySet()) {
            try {
                if (redactProviderCopies && ctx.sms() != null) {
                    // Before the local purge: a store without its own record of owed copies (the port's default) finds the
                    // texts to redact by their bodies.
                    redactor.redactOwedCopies(id, cutoff);
                }
                total += ctx.inTransaction(id, tx -> {
                    int purged = tx.purgeBodiesBefore(cutoff);
                    if (purged > 0) {
                        tx.appendAudit(new dev.followup.audit.AuditRecord(AuditType.RETENTION_PURGE, "system", null, null,
                                Map.of("records", Integer.toString(purged), "cutoff", cutoff.toString()), now));
                    }
                    return purged;
                });
            } catch (RuntimeException e) {
                failed.put(id, e); // one practice's failure must not keep every later practice's PHI past its retention
            }
        }
        if (!failed.isEmpty()) {
            List<RuntimeException> causes = List.copyOf(failed.values());
            StorageException named = new StorageException("purging the message bodies of practice(s) " + failed.keySet()
                    + " failed; the other practices were purged (" + total + " records)", causes.get(0));
            causes.subList(1, causes.size()).forEach(named::addSuppressed);
            throw named;
        }
        return total;
    }

    /** @return templates that exceed one SMS segment with typical values (flagged, not refused) */
    public List<String> templateWarnings() {
        return templateWarnings;
    }

    /**
     * The practices whose policies have an email step but which have no email From address: the
     * engine skips those steps (with an email sender or without), so a host that sends email should
     * refuse to start with any (the Spring Boot starter does).
     *
     * @return each such practice, with the first of its policies that sends email
     */
    public Map<PracticeId, String> practicesEmailingWithoutFrom() {
        return emailingWithoutFrom;
    }

    /**
     * @return the clock the engine runs on: what is built beside it (report pages, jobs) should
     *     tell the time by it too, so that "this week" means the same to both
     */
    public Clock clock() {
        return ctx.clock();
    }

    /** @return the configured practices */
    public List<Practice> practices() {
        return List.copyOf(ctx.practices().values());
    }

    /** Builds a {@link FollowUpEngine}; {@link #build()} validates the whole configuration. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private @Nullable FollowUpStore store;
        private @Nullable SmsSender sms;
        private @Nullable EmailSender email;
        private @Nullable SlotProvider slots;
        private @Nullable AppointmentBooker booker;
        private TaskSink taskSink = TaskSink.STORE_ONLY;
        private final Map<PracticeId, Practice> practices = new LinkedHashMap<>();
        private final Map<PracticeId, PracticeSettings> settings = new HashMap<>();
        private final Map<String, EscalationPolicy> policies = new HashMap<>(Map.of("standard", EscalationPolicy.standard()));
        private final Map<String, SendRate> rates = new HashMap<>();
        private SmsPricing pricing = SmsPricing.defaultPricing();
        private String nodeId = "node-" + UUID.randomUUID();
        private int batchSize = 100;
        private Duration lease = Duration.ofMinutes(5);
        private int maxTransientRetries = 3;
        private Duration retention = Duration.ofDays(30);
        private Consumer<Duration> sleeper = Builder::sleep;
        private boolean redactProviderCopies;
        private int providerRedactionTries = DEFAULT_PROVIDER_REDACTION_TRIES;
        private final List<EngineListener> listeners = new ArrayList<>();

        private Builder() {
        }

        private static void sleep(Duration d) {
            try {
                Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * @param clock the only source of time (tests pass a mutable clock)
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * @param store where everything is kept
         * @return this
         */
        public Builder store(FollowUpStore store) {
            this.store = Objects.requireNonNull(store);
            return this;
        }

        /**
         * @param sender the SMS provider
         * @return this
         */
        public Builder smsSender(SmsSender sender) {
            this.sms = Objects.requireNonNull(sender);
            return this;
        }

        /**
         * @param sender the email provider
         * @return this
         */
        public Builder emailSender(EmailSender sender) {
            this.email = Objects.requireNonNull(sender);
            return this;
        }

        /**
         * @param provider open slots
         * @return this
         */
        public Builder slotProvider(SlotProvider provider) {
            this.slots = Objects.requireNonNull(provider);
            return this;
        }

        /**
         * @param booker books chosen slots
         * @return this
         */
        public Builder appointmentBooker(AppointmentBooker booker) {
            this.booker = Objects.requireNonNull(booker);
            return this;
        }

        /**
         * @param sink the host's task queue
         * @return this
         */
        public Builder taskSink(TaskSink sink) {
            this.taskSink = Objects.requireNonNull(sink);
            return this;
        }

        /**
         * @param practice a practice with default settings
         * @return this
         */
        public Builder practice(Practice practice) {
            return practice(practice, PracticeSettings.defaults());
        }

        /**
         * @param practice a practice
         * @param practiceSettings its templates, policies and report figures
         * @return this
         */
        public Builder practice(Practice practice, PracticeSettings practiceSettings) {
            if (practices.containsKey(practice.id())) {
                throw new InvalidConfigurationException("practice " + practice.id() + " was already added");
            }
            practices.put(practice.id(), practice);
            settings.put(practice.id(), Objects.requireNonNull(practiceSettings));
            return this;
        }

        /**
         * @param policy a policy, found by its name
         * @return this
         */
        public Builder policy(EscalationPolicy policy) {
            EscalationPolicy old = policies.get(policy.name());
            if (old != null && old != EscalationPolicy.standard()) {
                throw new InvalidConfigurationException("policy '" + policy.name() + "' was already added");
            }
            policies.put(policy.name(), policy);
            return this;
        }

        /**
         * @param sender an SMS sender (number or messaging-service id)
         * @param rate its rate; the engine never exceeds it
         * @return this
         */
        public Builder sendRate(String sender, SendRate rate) {
            rates.put(Objects.requireNonNull(sender), Objects.requireNonNull(rate));
            return this;
        }

        /**
         * @param smsPricing the price per SMS segment
         * @return this
         */
        public Builder smsPricing(SmsPricing smsPricing) {
            this.pricing = Objects.requireNonNull(smsPricing);
            return this;
        }

        /**
         * @param id this node's id, unique among engines sharing a store
         * @return this
         */
        public Builder nodeId(String id) {
            if (!Identifiers.isValid(id)) {
                throw new InvalidConfigurationException("node id must be 1 to 64 letters, digits, '.', '_', ':' or '-'");
            }
            this.nodeId = id;
            return this;
        }

        /**
         * Follow-ups claimed at once. A practice's claimed follow-ups are then decided in groups of
         * up to 25, each group in one transaction; every text still has its attempt recorded, and
         * consent checked, in a transaction of its own just before it is sent: after a crash, no
         * text that was decided but not handed to the provider is taken for sent, whatever the size.
         * A run sends its batch one text after another: keep the batch's texts times the provider's
         * answer time well inside the {@link #lease(Duration) lease} (claims whose lease ran out
         * before their turn are skipped, safely, and taken up by another run), and keep batches
         * smaller than the backlog divided by the runs at once, or some runs idle.
         *
         * @param size follow-ups claimed at once, 1 to 10,000
         * @return this
         */
        public Builder batchSize(int size) {
            if (size < 1 || size > 10_000) {
                throw new InvalidConfigurationException("batch size must be 1 to 10,000, was " + size);
            }
            this.batchSize = size;
            return this;
        }

        /**
         * @param duration how long a claim is held before another node may take it over
         * @return this
         */
        public Builder lease(Duration duration) {
            if (duration.compareTo(Duration.ofSeconds(5)) < 0) {
                throw new InvalidConfigurationException("lease must be at least 5 seconds, was " + duration);
            }
            this.lease = duration;
            return this;
        }

        /**
         * @param retries tries of a step after transient provider failures before its channel counts as failed
         * @return this
         */
        public Builder maxTransientRetries(int retries) {
            if (retries < 1 || retries > 20) {
                throw new InvalidConfigurationException("max transient retries must be 1 to 20, was " + retries);
            }
            this.maxTransientRetries = retries;
            return this;
        }

        /**
         * @param period how long message bodies are kept (default 30 days)
         * @return this
         */
        public Builder retention(Duration period) {
            if (period.compareTo(Duration.ofDays(1)) < 0) {
                throw new InvalidConfigurationException("retention must be at least one day, was " + period);
            }
            this.retention = period;
            return this;
        }

        /**
         * @param redact whether {@link #purgeExpiredMessageBodies()} also asks the SMS provider to
         *     erase its copies of the texts past retention, outbound and inbound, until it confirms
         *     (Twilio supports it; off by default). Copies are owed from the moment they pass
         *     retention whether or not this is on: turning it on later asks for the older ones too.
         * @return this
         */
        public Builder redactProviderCopies(boolean redact) {
            this.redactProviderCopies = redact;
            return this;
        }

        /**
         * @param tries how often a provider copy is asked for before it is given up on (audited and
         *     logged for an operator), 1 to 50; default {@value FollowUpEngine#DEFAULT_PROVIDER_REDACTION_TRIES}.
         *     The pause between tries grows from an hour to a day, so the default gives up no sooner
         *     than about three days after the first try, later when the purge runs less often.
         * @return this
         */
        public Builder providerRedactionTries(int tries) {
            if (tries < 1 || tries > 50) {
                throw new InvalidConfigurationException("provider redaction tries must be 1 to 50, was " + tries);
            }
            this.providerRedactionTries = tries;
            return this;
        }

        /**
         * @param listener hears what the engine does, e.g. for metrics; several may be added and
         *     each hears every event, in the order added
         * @return this
         */
        public Builder listener(EngineListener listener) {
            listeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /**
         * @param pacingSleeper waits out short pacing delays (tests advance their clock instead)
         * @return this
         */
        public Builder pacingSleeper(Consumer<Duration> pacingSleeper) {
            this.sleeper = Objects.requireNonNull(pacingSleeper);
            return this;
        }

        /**
         * @return the engine
         * @throws InvalidConfigurationException if a store or a practice is missing, a practice
         *     refers to an unknown policy, or a template a policy or the engine needs is missing
         */
        public FollowUpEngine build() {
            if (store == null) {
                throw new InvalidConfigurationException("the engine needs a store (e.g. JdbiFollowUpStore, or InMemoryFollowUpStore for tests)");
            }
            if (practices.isEmpty()) {
                throw new InvalidConfigurationException("the engine needs at least one practice");
            }
            List<String> warnings = new ArrayList<>();
            Map<PracticeId, String> emailingWithoutFrom = new LinkedHashMap<>();
            for (Practice practice : practices.values()) {
                PracticeSettings s = settings.get(practice.id());
                Map<String, Channel> needed = new LinkedHashMap<>();
                for (String name : List.of(TemplateNames.SLOT_OFFER, TemplateNames.SLOT_TAKEN, TemplateNames.NO_SLOTS, TemplateNames.BOOKED,
                        TemplateNames.DECLINED, TemplateNames.RECEIVED, TemplateNames.HELP, TemplateNames.OPT_OUT_CONFIRMATION,
                        TemplateNames.OPT_IN_CONFIRMATION)) {
                    needed.put(name, Channel.SMS);
                }
                for (String policyName : s.policyNames()) {
                    EscalationPolicy policy = policies.get(policyName);
                    if (policy == null) {
                        throw new InvalidConfigurationException("practice " + practice.id() + " uses policy '" + policyName
                                + "', which is not registered; add it with policy(...)");
                    }
                    needed.putAll(policy.templatesUsed());
                    if (practice.emailFrom() == null && policy.templatesUsed().containsValue(Channel.EMAIL)) {
                        emailingWithoutFrom.putIfAbsent(practice.id(), policyName);
                    }
                }
                s.templates().validate(needed, practice.visitTypeInMessages(), practice.id().value());
                warnings.addAll(segmentWarnings(practice, s.templates()));
            }
            EngineContext ctx = new EngineContext(clock, store, sms, email, slots, booker, taskSink, Map.copyOf(practices), Map.copyOf(settings),
                    Map.copyOf(policies), ReplyClassifier.standard(), pricing, new SendPacer(rates), nodeId, batchSize, lease,
                    maxTransientRetries, retention, sleeper, new GuardedListeners(listeners));
            return new FollowUpEngine(ctx, warnings, emailingWithoutFrom, redactProviderCopies, providerRedactionTries);
        }

        private static List<String> segmentWarnings(Practice practice, MessageTemplates templates) {
            // Typical values: a 10-letter first name, a 14-letter provider name, the real practice name and phone.
            Map<String, String> sample = Map.of(MessageTemplate.FIRST_NAME, "Alexandria", MessageTemplate.LAST_NAME, "Montgomery",
                    MessageTemplate.PROVIDER_NAME, "Dr. Fitzgerald",
                    MessageTemplate.PRACTICE_NAME, practice.name(), MessageTemplate.PRACTICE_PHONE, practice.callbackPhone(),
                    MessageTemplate.VISIT_TYPE, "annual exam",
                    MessageTemplate.SLOT_LIST, "1) Tue Dec 1 10:00 AM, 2) Wed Dec 2 2:30 PM, 3) Thu Dec 3 9:15 AM",
                    MessageTemplate.SLOT_TIME, "Tue Dec 1 10:00 AM");
            List<String> warnings = new ArrayList<>();
            for (MessageTemplate t : templates.all()) {
                if (t.channel() != Channel.SMS) {
                    continue;
                }
                SegmentCount count = SmsSegments.count(MessageTemplates.render(t, sample).text());
                if (count.segments() > 1) {
                    warnings.add("practice " + practice.id() + ": SMS template '" + t.name() + "' (" + t.language() + ") takes "
                            + count.segments() + " segments (" + count.encoding() + ", " + count.units() + " units) with typical values");
                }
            }
            return warnings;
        }
    }
}
