package dev.followup.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.FollowUpEngine;
import dev.followup.RunSummary;
import dev.followup.conversation.InboundSms;
import dev.followup.practice.PracticeId;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import dev.followup.test.TwilioSignatures;
import dev.followup.twilio.TwilioAccount;
import dev.followup.twilio.TwilioWebhooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 3: replies of invited patients through the whole inbound path: Twilio signature check
 * and form parsing ({@link TwilioWebhooks}), then {@code engine.handleInboundSms} (classify, consent,
 * persist, audit, and the answer it triggers, sent to an in-memory sender). Signing is the client's
 * work and is done before the clock starts. Baseline: one autocommitted INSERT of the same message row
 * into a bare table, same threads. Each thread count runs on one practice's replies; the largest also
 * runs on as many practices, one for each thread.
 */
final class InboundBench {
    private static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    private static final String AUTH_TOKEN = "bench-auth-token";
    private static final String PUBLIC_BASE = "https://hooks.example.com/followup";
    private static final String[] BODIES = {"YES", "Can I come in the afternoon?", "STOP", "yes please", "no thanks"};

    private final Pg pg;
    private final Report out;

    InboundBench(Pg pg, Report out) {
        this.pg = pg;
        this.out = out;
    }

    private record Request(String url, Map<String, List<String>> form, String signature, String sid, String from, String body,
            String practice) {}

    /**
     * Runs each thread count on one practice, then the largest again with each thread's replies for
     * a practice of its own: a deployment serves thousands of practices, so the replies that arrive
     * together are mostly of different practices, and do not queue on one audit trail head.
     */
    void run(int patients, int reps, int[] threadCounts) throws Exception {
        List<String> one = List.of("p1");
        String seed = seed("in_seed", patients, one);
        for (int threads : threadCounts) {
            measure(seed, patients, reps, threads, one);
        }
        pg.dropDatabase(seed);
        int spread = threadCounts[threadCounts.length - 1];
        if (spread > 1) {
            List<String> many = java.util.stream.IntStream.rangeClosed(1, spread).mapToObj(k -> "p" + k).toList();
            String seedMany = seed("in_seed_many", patients, many);
            measure(seedMany, patients, reps, spread, many);
            pg.dropDatabase(seedMany);
        }
    }

    /** Patients 0 to {@code patients - 1}, in contiguous blocks, one per practice, each invited; and the history. */
    private String seed(String name, int patients, List<String> practices) throws Exception {
        String seed = pg.createDatabase(name, null);
        int perPractice = patients / practices.size();
        try (HikariDataSource ds = pg.pool(seed, 2)) {
            Fixtures.history(ds, patients);
            FollowUpEngine engine = Fixtures.engine(Fixtures.store(ds), MutableClock.at(Fixtures.WORK_TIME), new InMemorySmsSender(), "seed",
                    practices.toArray(String[]::new));
            for (int k = 0; k < practices.size(); k++) {
                Path csv = Fixtures.csv(k * perPractice, perPractice);
                engine.ingest(PracticeId.of(practices.get(k)), csv);
                Files.deleteIfExists(csv);
            }
            for (RunSummary s = engine.runDueWork(); s.claimed() > 0; s = engine.runDueWork()) {
                // invite everyone, so that each reply answers an invitation
            }
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE bare_inbound (practice_id VARCHAR(64) NOT NULL, provider_message_id VARCHAR(128) NOT NULL,"
                        + " from_phone VARCHAR(32) NOT NULL, body VARCHAR(1600), received_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                        + " PRIMARY KEY (practice_id, provider_message_id))");
                s.execute("ANALYZE");
            }
        }
        return seed;
    }

    private void measure(String seed, int patients, int reps, int threads, List<String> practices) throws Exception {
        // Request j goes to practice j mod P, so that thread t (requests t, t + threads, ...) keeps to one practice when P = threads.
        int perPractice = patients / practices.size();
        int replies = perPractice * practices.size();
        List<Request> requests = new ArrayList<>();
        for (int j = 0; j < replies; j++) {
            int practice = j % practices.size();
            requests.add(request(practice * perPractice + j / practices.size(), practices.get(practice)));
        }
        Stats engineRate = new Stats();
        Stats bareRate = new Stats();
        Stats p50 = new Stats();
        Stats p99 = new Stats();
        Stats bareP99 = new Stats();
        CpuPerUnit cpu = new CpuPerUnit();
        String layout = threads + " thread(s)" + (practices.size() > 1 ? ", " + practices.size() + " practices" : "");
        for (int rep = -1; rep < reps; rep++) {
            String db = pg.createDatabase("in", seed);
            long[] lat = new long[replies];
            pg.resetStatementStats();
            Pg.JvmCost before = Pg.JvmCost.now();
            Pg.CpuCost cpuBefore = Pg.CpuCost.now(pg);
            double e = engineRun(db, threads, requests, lat, practices);
            Pg.CpuCost cpuAfter = Pg.CpuCost.now(pg);
            pg.printStatementStats("engine side, " + layout + ", repetition " + rep + Pg.JvmCost.now().since(before, replies / e), db, 25);
            long[] bareLat = new long[replies];
            double b = bareRun(db, threads, requests, bareLat);
            pg.dropDatabase(db);
            if (rep >= 0) {
                engineRate.add(e);
                bareRate.add(b);
                p50.add(Stats.quantile(lat, 0.50));
                p99.add(Stats.quantile(lat, 0.99));
                bareP99.add(Stats.quantile(bareLat, 0.99));
                cpu.add(cpuBefore, cpuAfter, replies);
            }
        }
        out.pair("inbound replies PostgreSQL, " + layout + ", " + String.format("%,d", replies) + " replies", "replies/s",
                engineRate, "bare INSERT", bareRate, 0);
        out.add(String.format("    latency p50 %s; p99 %s (target >= 1,000/s and p99 < 50 ms: %s); bare p99 %s", p50.describe("ms"),
                p99.describe("ms"), engineRate.median() >= 1000 && p99.median() < 50 ? "MET" : "MISSED", bareP99.describe("ms")));
        out.add(cpu.line("reply"));
    }

    private static Request request(int i, String practice) {
        String sid = String.format("SM%032x", i + 1);
        String from = Fixtures.phone(i);
        String body = BODIES[i % BODIES.length];
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", sid);
        form.put("SmsSid", sid);
        form.put("AccountSid", ACCOUNT_SID);
        form.put("From", from);
        form.put("To", Fixtures.SMS_FROM);
        form.put("Body", body);
        form.put("NumMedia", "0");
        Map<String, List<String>> multi = new LinkedHashMap<>();
        form.forEach((k, v) -> multi.put(k, List.of(v)));
        String path = "/twilio/inbound/" + practice;
        return new Request("http://10.0.0.7:8080" + path, multi, TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE + path, form), sid, from, body,
                practice);
    }

    private double engineRun(String db, int threads, List<Request> requests, long[] latencies, List<String> practices) throws Exception {
        try (HikariDataSource ds = pg.pool(db, threads + 1)) {
            MutableClock clock = MutableClock.at(Fixtures.WORK_TIME.plusSeconds(3600));
            FollowUpEngine engine = Fixtures.engine(Fixtures.storeOnSeededCopy(ds), clock, new InMemorySmsSender(), "web",
                    practices.toArray(String[]::new));
            TwilioWebhooks.Builder hooks = TwilioWebhooks.builder().publicBaseUrl(PUBLIC_BASE + "/").clock(clock);
            for (String practice : practices) {
                hooks.account(PracticeId.of(practice), TwilioAccount.builder(ACCOUNT_SID).authToken(AUTH_TOKEN).phoneNumber(Fixtures.SMS_FROM).build());
            }
            TwilioWebhooks webhooks = hooks.build();
            return parallel(threads, requests, latencies, r -> {
                InboundSms sms = webhooks.inboundSms(r.url(), r.form(), r.signature());
                engine.handleInboundSms(sms);
            });
        }
    }

    private double bareRun(String db, int threads, List<Request> requests, long[] latencies) throws Exception {
        try (HikariDataSource ds = pg.pool(db, threads + 1)) {
            Timestamp at = Timestamp.from(Fixtures.WORK_TIME.plusSeconds(3600));
            return parallel(threads, requests, latencies, r -> {
                try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO bare_inbound VALUES (?,?,?,?,?)")) {
                    ps.setString(1, r.practice());
                    ps.setString(2, r.sid());
                    ps.setString(3, r.from());
                    ps.setString(4, r.body());
                    ps.setTimestamp(5, at);
                    ps.executeUpdate();
                }
            });
        }
    }

    private interface Handler {
        void handle(Request r) throws Exception;
    }

    /** Thread t handles requests t, t + threads, ...; each request's latency lands at its index. */
    private static double parallel(int threads, List<Request> requests, long[] latencies, Handler handler) throws Exception {
        long t0 = System.nanoTime();
        Fixtures.onThreads(threads, first -> {
            for (int i = first; i < requests.size(); i += threads) {
                long s = System.nanoTime();
                handler.handle(requests.get(i));
                latencies[i] = System.nanoTime() - s;
            }
        });
        return requests.size() / ((System.nanoTime() - t0) / 1e9);
    }
}
