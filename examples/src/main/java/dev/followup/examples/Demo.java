package dev.followup.examples;

import dev.followup.FollowUpEngine;
import dev.followup.PracticeSettings;
import dev.followup.RunSummary;
import dev.followup.followup.FollowUpType;
import dev.followup.ingest.ImportResult;
import dev.followup.ingest.ParsedRow;
import dev.followup.ingest.PatientListReader;
import dev.followup.jdbc.ConfiguredKeyProvider;
import dev.followup.jdbc.EmbeddedDatabase;
import dev.followup.jdbc.JdbiFollowUpStore;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.report.HtmlReport;
import dev.followup.report.ReportFormats;
import dev.followup.report.ReportSettings;
import dev.followup.report.WeeklyReport;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.KeyProvider;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskOutcome;
import dev.followup.test.InMemoryEmailSender;
import dev.followup.test.InMemoryScheduling;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import dev.followup.test.ScriptedPatients;
import dev.followup.test.ScriptedPatients.Script;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * The demo: three practices (a family practice in Chicago, a physical-therapy clinic in Los
 * Angeles, a dental office in New York) each send their weekly follow-up list in their EHR's own
 * CSV layout; the engine texts, emails and escalates for a simulated week while simulated patients
 * answer (yes, no, STOP, questions, silence); then it prints and writes each practice's weekly
 * report as text, CSV and a self-contained HTML page. No credentials: SMS and email go to
 * in-memory sandboxes, time is a simulated clock.
 *
 * <p>Run it with the README's first command. Outputs go to {@code followup-data/} (or the folder
 * given as the first argument); the data lives in an H2 file in {@code followup-data/db/}, so a
 * second run finds the first run's follow-ups already known.
 */
public final class Demo {
    /** The simulated week starts on this Monday, 06:00 in Chicago. */
    static final Instant WEEK_START = Instant.parse("2026-11-30T12:00:00Z");

    private Demo() {
    }

    /**
     * @param args optional: the output folder (default {@code followup-data})
     * @throws IOException if the outputs cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path dataDir = Path.of(args.length > 0 ? args[0] : "followup-data").toAbsolutePath();
        Files.createDirectories(dataDir.resolve("reports"));
        // The embedded default: an H2 file that outlives the run, so a second run finds the first run's follow-ups.
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir.resolve("db"))) {
            JdbiFollowUpStore store = JdbiFollowUpStore.builder(database.dataSource()).keys(demoKeys(dataDir))
                    .lookupKeyId(LOOKUP_KEY_ID).migrateOnBuild(true).build();
            DemoResult result = run(dataDir, store, System.out::println);
            System.out.println();
            System.out.println("Outputs: " + dataDir.resolve("reports") + " (a .txt, .csv and .html report per practice)");
            result.reports().values().stream().findFirst().ifPresent(r -> System.out.println("Open the HTML report in a browser: "
                    + dataDir.resolve("reports").resolve(r.practiceId().value() + "-" + r.weekStart() + ".html").toUri()));
            System.out.println("Open staff tasks after the week: " + result.openTasks());
            System.out.println("Data: " + database.directory() + " (H2, PHI encrypted); run again to see it kept, delete "
                    + dataDir + " to start over");
        }
    }

    private static final String LOOKUP_KEY_ID = "lookup";

    /**
     * The demo's keys, made on its first run and kept beside its database. Demo only: real keys
     * belong in a secrets manager or KMS, never next to the data they protect.
     */
    private static KeyProvider demoKeys(Path dataDir) throws IOException {
        Path file = dataDir.resolve("demo-keys.properties");
        Properties keys = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                keys.load(in);
            }
        } else {
            SecureRandom random = new SecureRandom();
            for (String id : List.of("demo-1", LOOKUP_KEY_ID)) {
                byte[] key = new byte[32];
                random.nextBytes(key);
                keys.setProperty(id, Base64.getEncoder().encodeToString(key));
            }
            try (var outFile = Files.newOutputStream(file)) {
                keys.store(outFile, "Followup demo keys: for the demo only");
            }
        }
        Map<String, String> byId = new LinkedHashMap<>();
        keys.stringPropertyNames().forEach(id -> byId.put(id, keys.getProperty(id)));
        return ConfiguredKeyProvider.of("demo-1", byId);
    }

    /**
     * What a demo run produced, for tests.
     *
     * @param imports the import result per practice
     * @param reports the weekly report per practice
     * @param openTasks open staff tasks after the week
     * @param textsSent texts sent
     * @param emailsSent emails sent
     * @param run what the engine did
     */
    public record DemoResult(Map<String, ImportResult> imports, Map<String, WeeklyReport> reports, int openTasks, int textsSent,
            int emailsSent, RunSummary run) {}

    /**
     * Runs the demo.
     *
     * @param dataDir where the reports are written
     * @param store the store to use
     * @param out where the narration goes
     * @return what it produced
     */
    public static DemoResult run(Path dataDir, FollowUpStore store, java.util.function.Consumer<String> out) {
        MutableClock clock = MutableClock.at(WEEK_START);
        InMemorySmsSender sms = new InMemorySmsSender();
        InMemoryEmailSender email = new InMemoryEmailSender();
        InMemoryScheduling scheduling = new InMemoryScheduling(ZoneId.of("America/Chicago"));
        Map<String, Practice> practices = new LinkedHashMap<>();
        practices.put("lakeside-family-medicine.csv", Practice.builder(PracticeId.of("lakeside")).name("Lakeside Family Medicine")
                .callbackPhone("(312) 555-0199").timeZone("America/Chicago").smsFrom("+13125550190").emailFrom("care@lakeside.example").build());
        practices.put("harbor-physical-therapy.csv", Practice.builder(PracticeId.of("harbor-pt")).name("Harbor Physical Therapy")
                .callbackPhone("(213) 555-0199").timeZone("America/Los_Angeles").smsFrom("+12135550190").emailFrom("front@harborpt.example").build());
        practices.put("northside-dental.csv", Practice.builder(PracticeId.of("northside")).name("Northside Dental")
                .callbackPhone("(212) 555-0199").timeZone("America/New_York").smsFrom("+12125550190").emailFrom("hello@northside.example").build());
        FollowUpEngine.Builder builder = FollowUpEngine.builder().clock(clock).store(store).smsSender(sms).emailSender(email)
                .slotProvider(scheduling).appointmentBooker(scheduling).nodeId("demo");
        ReportSettings dental = ReportSettings.defaults().withDefaultRevenue(new BigDecimal("180.00"))
                .withRevenue(FollowUpType.of("crown-follow-up"), new BigDecimal("420.00")).withMonthlyFee(new BigDecimal("199"));
        for (Practice p : practices.values()) {
            ReportSettings report = p.id().value().equals("northside") ? dental : ReportSettings.defaults().withMonthlyFee(new BigDecimal("199"));
            builder.practice(p, PracticeSettings.defaults().withReport(report));
        }
        FollowUpEngine engine = builder.build();
        engine.templateWarnings().forEach(w -> out.accept("note: " + w));
        ScriptedPatients patients = new ScriptedPatients(engine, sms, clock);
        Random random = new Random(42);

        out.accept("== Ingesting this week's follow-up lists (" + clock.instant() + ")");
        Map<String, ImportResult> imports = new LinkedHashMap<>();
        for (Map.Entry<String, Practice> e : practices.entrySet()) {
            byte[] csv = sample(e.getKey());
            // Assign every patient a behaviour, as if real people were answering.
            PatientListReader.builder().build().read(new java.io.ByteArrayInputStream(csv), row -> {
                if (row instanceof ParsedRow.Accepted a && a.record().phone() != null) {
                    patients.assign(a.record().phone(), behaviour(random));
                }
            });
            ImportResult result = engine.ingest(e.getValue().id(), new java.io.ByteArrayInputStream(csv), null);
            imports.put(e.getValue().id().value(), result);
            out.accept(String.format("  %-26s %s", e.getValue().name(), result.summary()));
            result.errors().forEach(err -> out.accept("      rejected line " + err.line() + ": " + err.reason()));
        }

        out.accept("");
        out.accept("== Simulating the week: texts within 2 hours in each patient's send window, email after 24 h, staff task after 48 h");
        RunSummary run = patients.runUntil(WEEK_START.plus(Duration.ofDays(6)), Duration.ofMinutes(15));
        out.accept(String.format("  %d texts and %d emails sent, %d patient replies, %d steps deferred to a send window or limit, %d staff tasks opened",
                sms.sent().size(), email.sent().size(), patients.repliesSent(), run.deferred(), run.tasksOpened()));

        // Friday afternoon: the front desk works through part of the task list.
        clock.set(WEEK_START.plus(Duration.ofDays(4)).plus(Duration.ofHours(8)));
        int worked = 0;
        for (Practice p : practices.values()) {
            List<StaffTask> open = engine.openTasks(p.id());
            for (int i = 0; i < open.size(); i++) {
                if (i % 3 == 2) {
                    continue; // left for Monday
                }
                engine.claimTask(p.id(), open.get(i).id(), "front-desk");
                engine.completeTask(p.id(), open.get(i).id(), "front-desk", i % 3 == 0 ? TaskOutcome.BOOKED : TaskOutcome.UNREACHABLE);
                worked++;
            }
        }
        out.accept("  The front desk worked " + worked + " staff tasks on Friday (booked by phone or unreachable).");
        clock.set(WEEK_START.plus(Duration.ofDays(6)));

        Map<String, WeeklyReport> reports = new LinkedHashMap<>();
        int openTasks = 0;
        for (Practice p : practices.values()) {
            WeeklyReport report = engine.weeklyReport(p.id(), LocalDate.ofInstant(WEEK_START, p.timeZone()));
            reports.put(p.id().value(), report);
            List<StaffTask> tasks = engine.openTasks(p.id());
            openTasks += tasks.size();
            out.accept("");
            out.accept(ReportFormats.text(report));
            out.accept("  Open staff tasks: " + tasks.size() + "; audit trail "
                    + (engine.verifyAuditTrail(p.id()).isIntact() ? "verified intact" : "BROKEN"));
            write(dataDir.resolve("reports").resolve(p.id().value() + "-" + report.weekStart() + ".txt"), ReportFormats.text(report));
            write(dataDir.resolve("reports").resolve(p.id().value() + "-" + report.weekStart() + ".csv"), ReportFormats.csv(report));
            // The page a practice manager opens: self-contained, so it can be mailed or opened from disk as it is.
            write(dataDir.resolve("reports").resolve(p.id().value() + "-" + report.weekStart() + ".html"), HtmlReport.render(report));
        }
        return new DemoResult(imports, reports, openTasks, sms.sent().size(), email.sent().size(), run);
    }

    private static Script behaviour(Random random) {
        int roll = random.nextInt(100);
        Duration after = Duration.ofMinutes(20 + random.nextInt(6 * 60));
        if (roll < 38) {
            return Script.replyYesAfter(after);
        } else if (roll < 46) {
            return Script.stopAfter(after);
        } else if (roll < 54) {
            return Script.declineAfter(after);
        } else if (roll < 60) {
            return Script.textAfter(after, "Can someone call me about this? I work until 5.");
        } else if (roll < 64) {
            return Script.yesButNoChoice(after);
        }
        return Script.neverReply();
    }

    private static byte[] sample(String name) {
        try (InputStream in = Demo.class.getResourceAsStream("/sample/" + name)) {
            if (in == null) {
                throw new IllegalStateException("sample file missing from the examples jar: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
