package dev.followup.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.FollowUpEngine;
import dev.followup.PracticeSettings;
import dev.followup.RunSummary;
import dev.followup.conversation.InboundSms;
import dev.followup.jdbc.ConfiguredKeyProvider;
import dev.followup.jdbc.JdbiFollowUpStore;
import dev.followup.message.SendRate;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.spi.SmsSender;
import dev.followup.test.InMemoryEmailSender;
import dev.followup.test.InMemoryScheduling;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/** Synthetic practices, keys and patient lists (no PHI: every name, number and address is made up). */
final class Fixtures {
    /** Monday 2 March 2026, 08:00 in Chicago: invitations fall due inside that day's send window. */
    static final Instant MONDAY = Instant.parse("2026-03-02T14:00:00Z");
    /** 10:30 that Monday in Chicago: the first invitations (scheduled for 10:00, inside "Mornings") are due. */
    static final Instant WORK_TIME = Instant.parse("2026-03-02T16:30:00Z");
    static final String ZONE = "America/Chicago";
    static final String SMS_FROM = "+13125550990";
    static final String HEADER = "MRN,First Name,Last Name,Phone,Email,Provider,Follow-Up Type,Preferred Window,Language";

    private Fixtures() {}

    static ConfiguredKeyProvider keys() {
        return ConfiguredKeyProvider.of("k1", Map.of("k1", key(1), "lookup", key(9)));
    }

    static JdbiFollowUpStore store(DataSource dataSource) {
        return JdbiFollowUpStore.builder(dataSource).keys(keys()).lookupKeyId("lookup").migrateOnBuild(true).build();
    }

    /**
     * A store on a copy of a seeded database, which is migrated already: as a long-running node
     * finds its database. Migrating again would change nothing but would have Flyway scan the class
     * path once more, whose JIT compilation (about 2 s of C2 time for its scanner) then competes
     * with the measured run for this machine's two cores.
     */
    static JdbiFollowUpStore storeOnSeededCopy(DataSource dataSource) {
        return JdbiFollowUpStore.builder(dataSource).keys(keys()).lookupKeyId("lookup").migrateOnBuild(false).build();
    }

    static Practice practice(String id) {
        return Practice.builder(PracticeId.of(id)).name("Clinic " + id).callbackPhone("(555) 010-2000").timeZone(ZONE)
                .smsFrom(SMS_FROM).emailFrom("care@" + id + ".example").build();
    }

    /** An engine as a deployment would build it, with in-memory senders and no pacing (throughput is the point). */
    static FollowUpEngine engine(JdbiFollowUpStore store, MutableClock clock, SmsSender sms, String nodeId, String... practiceIds) {
        return engine(store, clock, sms, nodeId, 200, practiceIds);
    }

    static FollowUpEngine engine(JdbiFollowUpStore store, MutableClock clock, SmsSender sms, String nodeId, int batchSize,
            String... practiceIds) {
        InMemoryScheduling scheduling = new InMemoryScheduling(ZoneId.of(ZONE));
        FollowUpEngine.Builder b = FollowUpEngine.builder().clock(clock).store(store).smsSender(sms).emailSender(new InMemoryEmailSender())
                .slotProvider(scheduling).appointmentBooker(scheduling).taskSink(t -> { }).nodeId(nodeId).batchSize(batchSize)
                .pacingSleeper(d -> { });
        for (String id : practiceIds) {
            b.practice(practice(id), PracticeSettings.defaults());
        }
        b.sendRate(SMS_FROM, SendRate.perSecond(100_000));
        return b.build();
    }

    /**
     * Seeds a database for the engine benchmarks: the history of {@link #history}, then {@code rows}
     * follow-ups of practice "p1" whose first text is due at {@link #WORK_TIME}.
     *
     * @param extra more set-up on the seeded database (a baseline's table), before its ANALYZE
     * @return the seed's name, a template for each repetition's copy
     */
    static String seedDueFollowUps(Pg pg, String prefix, int rows, SqlSetUp extra) throws Exception {
        String seed = pg.createDatabase(prefix, null);
        Path csv = csv(0, rows);
        try (HikariDataSource ds = pg.pool(seed, 2)) {
            history(ds, rows);
            FollowUpEngine engine = engine(store(ds), MutableClock.at(WORK_TIME), new InMemorySmsSender(), "seed", "p1");
            engine.ingest(PracticeId.of("p1"), csv);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                extra.apply(s);
                s.execute("ANALYZE");
            }
        } finally {
            Files.deleteIfExists(csv);
        }
        return seed;
    }

    /** Work for one of several threads started together. */
    interface ThreadWork {
        /** @param thread the thread's number, from 0 */
        void run(int thread) throws Exception;
    }

    /**
     * Runs {@code work} on {@code threads} threads at once and returns when all have finished.
     *
     * @throws Exception the first failure of a thread, wrapped as the executor reports it
     */
    static void onThreads(int threads, ThreadWork work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> started = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                started.add(pool.submit(() -> {
                    work.run(thread);
                    return null;
                }));
            }
            for (Future<?> f : started) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Set-up statements run on a seeded database. */
    interface SqlSetUp {
        /** @param s a statement on the seeded database */
        void apply(Statement s) throws SQLException;
    }

    /**
     * Gives a fresh benchmark database the history a running deployment has: another practice
     * ("p0") whose {@code rows} patients went through the whole default ladder last week (text,
     * email, staff task), a tenth of them answering the text with STOP, a tenth with a no and a
     * tenth with a YES, so every table the engine reads has rows and, once the caller has run
     * ANALYZE, statistics. Without them PostgreSQL plans a never-analysed table's lookups as scans of
     * the practice (it takes any index that starts with practice_id): in production that lasts until
     * autovacuum's first ANALYZE, about a minute after the first outreach, but in a benchmark it
     * lasts the whole run (the consent lookup of every reply read all of the run's opt-outs until
     * the history had opt-outs of its own). None of p0's follow-ups is due afterwards (each waits on
     * its staff task or is closed).
     */
    static void history(DataSource dataSource, int rows) {
        Path csv = csv(HISTORY_FIRST_ROW, rows);
        MutableClock lastWeek = MutableClock.at(WORK_TIME.minus(Duration.ofDays(7)));
        FollowUpEngine engine = engine(store(dataSource), lastWeek, new InMemorySmsSender(), "history", "p0");
        engine.ingest(PracticeId.of("p0"), csv);
        String[] replies = {"STOP", "no thanks", "YES"};
        for (int rung = 0; rung < 3; rung++) {
            for (RunSummary s = engine.runDueWork(); s.claimed() > 0; s = engine.runDueWork()) {
                // work the rung for everyone
            }
            if (rung == 0) {
                lastWeek.advance(Duration.ofHours(1));
                for (int i = 0; i < rows; i++) {
                    if (i % 10 < replies.length) {
                        engine.handleInboundSms(new InboundSms(PracticeId.of("p0"), String.format("SMhistory%026x", i),
                                PhoneNumber.ofE164(phone(HISTORY_FIRST_ROW + i)), replies[i % 10], lastWeek.instant()));
                    }
                }
            }
            lastWeek.advance(Duration.ofHours(25));
        }
        try {
            Files.deleteIfExists(csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CSV row of the history's first patient: far from the measured practice's rows, so no phone is shared. */
    private static final int HISTORY_FIRST_ROW = 2_000_000;

    static String phone(int i) {
        return "+1312" + String.format("%07d", 5_000_000 + i);
    }

    static String row(int i) {
        return "M-" + i + ",Pat" + i + ",Tester" + i + ',' + phone(i) + ",pat" + i + "@example.com,Dr. Martinez,annual-exam,Mornings,en";
    }

    /** Writes a list of {@code rows} synthetic patients, numbered from {@code from}. */
    static Path csv(int from, int rows) {
        try {
            Path file = Files.createTempFile("followup-bench-", ".csv");
            file.toFile().deleteOnExit();
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write(HEADER);
                w.write('\n');
                for (int i = from; i < from + rows; i++) {
                    w.write(row(i));
                    w.write('\n');
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key(int seed) {
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return Base64.getEncoder().encodeToString(b);
    }
}
