package dev.followup.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.FollowUpEngine;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import dev.followup.spi.OutboundSms;
import dev.followup.spi.SendResult;
import dev.followup.spi.SmsSender;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark 5: one engine whose SMS provider takes a fixed time to answer each text, as a real API
 * does (Twilio's answers take about 0.1-0.3 s), with its due work run by 1, 4 and 16 runs at once
 * (the starter's {@code followup.engine.workers}). Baseline, in the same run: the same provider
 * called directly by as many threads for as many texts, with nothing else done, which is what the
 * provider's latency allows at that concurrency. The ratio is how much of it the engine uses; the
 * rate itself shows what a node sends per second.
 */
final class ProviderLatencyBench {
    /** Follow-ups claimed at once: small enough that each of 16 runs gets batches of the run's follow-ups. */
    private static final int BATCH_SIZE = 25;
    private final Pg pg;
    private final Report out;

    ProviderLatencyBench(Pg pg, Report out) {
        this.pg = pg;
        this.out = out;
    }

    void run(int rows, int reps, int latencyMillis, int[] runCounts) throws Exception {
        String seed = Fixtures.seedDueFollowUps(pg, "lat_seed", rows, s -> { });
        for (int runs : runCounts) {
            Stats engine = new Stats();
            Stats bare = new Stats();
            for (int rep = -1; rep < reps; rep++) { // rep -1 is the warm-up
                String db = pg.createDatabase("lat", seed);
                double e = engineRun(db, runs, rows, latencyMillis);
                pg.dropDatabase(db);
                double b = bareRun(runs, rows, latencyMillis);
                if (rep >= 0) {
                    engine.add(e);
                    bare.add(b);
                }
            }
            out.pair("engine on PostgreSQL, provider answering in " + latencyMillis + " ms, " + runs + " run(s) at once, "
                    + String.format("%,d", rows) + " due follow-ups", "texts/s", engine, "the provider called directly by " + runs
                    + " thread(s)", bare, 0);
        }
        pg.dropDatabase(seed);
    }

    private double engineRun(String db, int runs, int rows, int latencyMillis) throws Exception {
        try (HikariDataSource ds = pg.pool(db, runs + 1)) {
            InMemorySmsSender sms = new InMemorySmsSender();
            FollowUpEngine engine = Fixtures.engine(Fixtures.storeOnSeededCopy(ds), MutableClock.at(Fixtures.WORK_TIME),
                    answeringAfter(sms, latencyMillis), "node-0", BATCH_SIZE, "p1");
            long t0 = System.nanoTime();
            Fixtures.onThreads(runs, run -> {
                while (engine.runDueWork().claimed() > 0) {
                    // each run ends when it finds nothing left to claim; another may have claimed the rest meanwhile
                }
            });
            long nanos = System.nanoTime() - t0;
            if (sms.sent().size() != rows) {
                throw new IllegalStateException("engine sent " + sms.sent().size() + " texts for " + rows + " due follow-ups");
            }
            return rows / (nanos / 1e9);
        }
    }

    private static double bareRun(int threads, int rows, int latencyMillis) throws Exception {
        InMemorySmsSender sms = new InMemorySmsSender();
        SmsSender provider = answeringAfter(sms, latencyMillis);
        PhoneNumber to = PhoneNumber.ofE164("+13125550100");
        AtomicInteger left = new AtomicInteger(rows);
        long t0 = System.nanoTime();
        Fixtures.onThreads(threads, thread -> {
            for (int n = left.getAndDecrement(); n > 0; n = left.getAndDecrement()) {
                provider.send(new OutboundSms("bare-" + n, PracticeId.of("p1"), Fixtures.SMS_FROM, to,
                        "Clinic p1: it is time to book your follow-up visit. Reply YES for open times, STOP to opt out.", Duration.ofHours(1)));
            }
        });
        return rows / ((System.nanoTime() - t0) / 1e9);
    }

    /** A provider whose every answer takes {@code millis}: the thread waits, as on a socket, without using a core. */
    private static SmsSender answeringAfter(SmsSender provider, int millis) {
        return new SmsSender() {
            @Override
            public SendResult send(OutboundSms sms) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                return provider.send(sms);
            }

            @Override
            public Optional<ProviderMessage> lookup(PracticeId practiceId, String attemptId) {
                return provider.lookup(practiceId, attemptId);
            }
        };
    }
}
