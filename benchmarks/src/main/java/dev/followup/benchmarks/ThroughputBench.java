package dev.followup.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.FollowUpEngine;
import dev.followup.jdbc.JdbiFollowUpStore;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark 2: due follow-ups worked by 1, 2 and 4 engine instances (threads, each its own engine
 * and node id over one store): claim, decide, render, send to an in-memory sender, record the
 * message and its audit, schedule the next step. Baseline: a bare {@code SKIP LOCKED} claim of
 * batches of 200 followed by one completing UPDATE per row, over the same number of rows and threads.
 */
final class ThroughputBench {
    private final Pg pg;
    private final Report out;

    ThroughputBench(Pg pg, Report out) {
        this.pg = pg;
        this.out = out;
    }

    void run(int rows, int reps, int[] threadCounts) throws Exception {
        // Seed once, then copy the database per repetition (CREATE DATABASE ... TEMPLATE): ingesting is not what is measured here.
        String seed = Fixtures.seedDueFollowUps(pg, "tp_seed", rows, s -> {
            s.execute("CREATE TABLE bare_queue (id BIGINT PRIMARY KEY, due TIMESTAMP WITH TIME ZONE NOT NULL, state VARCHAR(16) NOT NULL,"
                    + " owner VARCHAR(128), lease_until TIMESTAMP WITH TIME ZONE)");
            s.execute("CREATE INDEX bare_queue_due ON bare_queue (due)");
            s.execute("INSERT INTO bare_queue SELECT g, now() - interval '1 minute', 'due', NULL, NULL FROM generate_series(1, " + rows + ") g");
        });
        for (int threads : threadCounts) {
            Stats engine = new Stats();
            Stats bare = new Stats();
            CpuPerUnit cpu = new CpuPerUnit();
            for (int rep = -1; rep < reps; rep++) { // rep -1 is the warm-up
                String db = pg.createDatabase("tp", seed);
                pg.resetStatementStats();
                Pg.JvmCost before = Pg.JvmCost.now();
                Pg.CpuCost cpuBefore = Pg.CpuCost.now(pg);
                double e = engineRun(db, threads, rows);
                Pg.CpuCost cpuAfter = Pg.CpuCost.now(pg);
                pg.printStatementStats("engine side, " + threads + " thread(s), repetition " + rep
                        + Pg.JvmCost.now().since(before, rows / e), db, 25);
                double b = bareRun(db, threads, rows);
                pg.dropDatabase(db);
                if (rep >= 0) {
                    engine.add(e);
                    bare.add(b);
                    cpu.add(cpuBefore, cpuAfter, rows);
                }
            }
            out.pair("engine throughput PostgreSQL, " + threads + " engine(s), " + String.format("%,d", rows) + " due follow-ups", "steps/s",
                    engine, "bare SKIP LOCKED loop", bare, 0.15);
            out.add(cpu.line("step"));
        }
        pg.dropDatabase(seed);
    }

    private double engineRun(String db, int threads, int rows) throws Exception {
        try (HikariDataSource ds = pg.pool(db, threads * 2 + 1)) {
            JdbiFollowUpStore store = Fixtures.storeOnSeededCopy(ds);
            MutableClock clock = MutableClock.at(Fixtures.WORK_TIME);
            List<InMemorySmsSender> senders = new ArrayList<>();
            List<FollowUpEngine> nodes = new ArrayList<>();
            for (int n = 0; n < threads; n++) {
                InMemorySmsSender sms = new InMemorySmsSender();
                senders.add(sms);
                nodes.add(Fixtures.engine(store, clock, sms, "node-" + n, "p1"));
            }
            long t0 = System.nanoTime();
            Fixtures.onThreads(threads, n -> {
                FollowUpEngine node = nodes.get(n);
                while (node.runDueWork().claimed() > 0) {
                    // each run ends when it finds nothing left to claim; another may have claimed the rest meanwhile
                }
            });
            long nanos = System.nanoTime() - t0;
            int sent = senders.stream().mapToInt(s -> s.sent().size()).sum();
            if (sent != rows) {
                StringBuilder states = new StringBuilder();
                try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT state, MIN(next_action_at), COUNT(*) FROM followup_follow_up GROUP BY state")) {
                    while (rs.next()) {
                        states.append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getLong(3)).append("; ");
                    }
                }
                throw new IllegalStateException("engine sent " + sent + " messages for " + rows + " due follow-ups: " + states);
            }
            return sent / (nanos / 1e9);
        }
    }

    private double bareRun(String db, int threads, int rows) throws Exception {
        try (HikariDataSource ds = pg.pool(db, threads + 1)) {
            AtomicInteger done = new AtomicInteger();
            long t0 = System.nanoTime();
            Fixtures.onThreads(threads, n -> {
                String owner = "bare-" + n;
                try (Connection c = ds.getConnection();
                        PreparedStatement claim = c.prepareStatement("UPDATE bare_queue SET owner = ?, lease_until = now() + interval '5 minutes'"
                                + " WHERE id IN (SELECT id FROM bare_queue WHERE state = 'due' AND due <= now()"
                                + " AND (lease_until IS NULL OR lease_until < now()) ORDER BY due LIMIT 200 FOR UPDATE SKIP LOCKED) RETURNING id");
                        PreparedStatement complete = c.prepareStatement(
                                "UPDATE bare_queue SET state = 'done', owner = NULL, lease_until = NULL WHERE id = ? AND owner = ?")) {
                    c.setAutoCommit(true);
                    while (true) {
                        claim.setString(1, owner);
                        List<Long> ids = new ArrayList<>();
                        try (ResultSet rs = claim.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getLong(1));
                            }
                        }
                        if (ids.isEmpty()) {
                            return;
                        }
                        for (long id : ids) {
                            complete.setLong(1, id);
                            complete.setString(2, owner);
                            done.addAndGet(complete.executeUpdate());
                        }
                    }
                }
            });
            long nanos = System.nanoTime() - t0;
            if (done.get() != rows) {
                throw new IllegalStateException("bare loop completed " + done.get() + " of " + rows);
            }
            return rows / (nanos / 1e9);
        }
    }
}
