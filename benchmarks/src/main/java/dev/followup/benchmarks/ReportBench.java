package dev.followup.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.FollowUpEngine;
import dev.followup.RunSummary;
import dev.followup.practice.PracticeId;
import dev.followup.report.WeeklyReport;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import dev.followup.jdbc.internal.FieldCipher;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Benchmark 4: the weekly report of a practice whose week holds N follow-ups (and one invitation
 * each), against a bare aggregate scan (COUNT ... GROUP BY) of the same rows of the same tables
 * with the same period predicates. The rows are seeded by ingesting and inviting a few hundred
 * patients through the engine, then cloning those rows in SQL (valid ciphertexts, fresh ids and
 * need hashes, created across the week).
 */
final class ReportBench {
    private static final int BASE = 200;
    private static final Instant WEEK_FROM = Instant.parse("2026-03-02T06:00:00Z"); // Monday 00:00 in Chicago
    private static final Instant WEEK_TO = Instant.parse("2026-03-09T05:00:00Z"); // the next Monday, after the DST change

    private final Pg pg;
    private final Report out;

    ReportBench(Pg pg, Report out) {
        this.pg = pg;
        this.out = out;
    }

    void run(int followUps, int reps) throws Exception {
        int copies = Math.max(1, followUps / BASE);
        String db = pg.createDatabase("report", null);
        Path csv = Fixtures.csv(0, BASE);
        try (HikariDataSource ds = pg.pool(db, 2)) {
            FollowUpEngine engine = Fixtures.engine(Fixtures.store(ds), MutableClock.at(Fixtures.WORK_TIME), new InMemorySmsSender(), "seed", "p1");
            engine.ingest(PracticeId.of("p1"), csv);
            for (RunSummary s = engine.runDueWork(); s.claimed() > 0; s = engine.runDueWork()) {
                // every follow-up gets its invitation (a send attempt)
            }
            long t0 = System.nanoTime();
            seed(ds, copies);
            System.err.printf("  seeded %,d follow-ups in %,d ms%n", count(ds), (System.nanoTime() - t0) / 1_000_000);
            Stats report = new Stats();
            Stats bare = new Stats();
            LocalDate monday = LocalDate.of(2026, 3, 2);
            for (int rep = -1; rep < reps; rep++) {
                long s = System.nanoTime();
                WeeklyReport r = engine.weeklyReport(PracticeId.of("p1"), monday);
                long e = System.nanoTime() - s;
                s = System.nanoTime();
                long scanned = bareScan(ds);
                long b = System.nanoTime() - s;
                if (rep == -1) {
                    System.err.println("  report: " + r.toString().substring(0, Math.min(300, r.toString().length())));
                    System.err.printf("  bare scan counted %,d rows%n", scanned);
                } else {
                    report.add(e / 1e6);
                    bare.add(b / 1e6);
                }
            }
            out.pairAtMost("weekly report PostgreSQL, " + String.format("%,d", count(ds)) + " follow-ups in the week", "ms", report,
                    "bare aggregate scan", bare, 3.0);
        } finally {
            Files.deleteIfExists(csv);
            pg.dropDatabase(db);
        }
    }

    private static void seed(HikariDataSource ds, int copies) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            String g = "generate_series(1, " + (copies - 1) + ") g";
            s.execute("INSERT INTO followup_follow_up (practice_id, id, patient_id, provider_id, provider_name, type_code, preferred_days,"
                    + " preferred_from, preferred_to, due_date, batch_id, need_hash, key_id, need_key_enc, policy_name, state, next_step,"
                    + " next_action_at, created_at, first_contact_at, last_outreach_channel, replied_at, responded_channel, closed_at,"
                    + " offered_slots, slot_offers, version, claimed_by, lease_until)"
                    + " SELECT practice_id, id || '-' || g, patient_id, provider_id, provider_name, type_code, preferred_days,"
                    + " preferred_from, preferred_to, due_date, batch_id, md5(id || '-' || g) || md5(g::text), key_id, need_key_enc, policy_name,"
                    + " state, next_step, next_action_at, created_at + (g % 5) * interval '1 day', first_contact_at + (g % 5) * interval '1 day',"
                    + " last_outreach_channel, replied_at, responded_channel, closed_at, offered_slots, slot_offers, version, NULL, NULL"
                    + " FROM followup_follow_up CROSS JOIN " + g + " WHERE practice_id = 'p1'");
            s.execute("INSERT INTO followup_send_attempt (practice_id, id, dedupe_key, follow_up_id, patient_id, channel, purpose, step,"
                    + " attempt_number, state, delivery_status, provider_message_id, error_code, key_id, body_enc, segments, cost, created_at,"
                    + " updated_at)"
                    + " SELECT practice_id, id || '-' || g, dedupe_key || '-' || g, follow_up_id || '-' || g, patient_id, channel, purpose,"
                    + " step, attempt_number, state, delivery_status, provider_message_id || '-' || g, error_code, key_id, NULL, segments,"
                    + " cost, created_at + (g % 5) * interval '1 day', updated_at + (g % 5) * interval '1 day'"
                    + " FROM followup_send_attempt CROSS JOIN " + g + " WHERE practice_id = 'p1'");
            reencryptNeedKeys(c);
            s.execute("VACUUM ANALYZE");
        }
    }

    /**
     * Ciphertexts are bound to their row (the AAD names table, column, practice and row id), so a
     * cloned row needs its own: the clones' need keys are encrypted here with the store's cipher and
     * written back through COPY into a temporary table and one UPDATE (cloned message bodies are left
     * NULL, as after the retention purge).
     */
    private static void reencryptNeedKeys(Connection c) throws Exception {
        FieldCipher cipher = new FieldCipher(Fixtures.keys());
        List<String> ids = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM followup_follow_up WHERE practice_id = 'p1' AND id LIKE '%-%-%-%-%-%'")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMPORARY TABLE bench_need (id VARCHAR(64) PRIMARY KEY, enc BYTEA NOT NULL)");
        }
        StringBuilder data = new StringBuilder();
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            byte[] enc = cipher.encrypt("bench|" + id, new FieldCipher.Place("followup_follow_up", "need_key", "p1", id), cipher.currentKey());
            data.append(id).append("\t\\\\x").append(HexFormat.of().formatHex(enc)).append('\n');
            if (data.length() > 4_000_000 || i == ids.size() - 1) {
                copy.copyIn("COPY bench_need FROM STDIN", new StringReader(data.toString()));
                data.setLength(0);
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("UPDATE followup_follow_up f SET need_key_enc = n.enc FROM bench_need n WHERE f.practice_id = 'p1' AND f.id = n.id");
            s.execute("DROP TABLE bench_need");
        }
    }

    private static long count(HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM followup_follow_up WHERE practice_id = 'p1'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The same rows the report reads (same tables, same period predicates), counted by the database. */
    private static long bareScan(HikariDataSource ds) throws Exception {
        long rows = 0;
        Timestamp from = Timestamp.from(WEEK_FROM);
        Timestamp to = Timestamp.from(WEEK_TO);
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            String[] queries = {
                "SELECT state, COUNT(*), COUNT(first_contact_at), COUNT(replied_at), COUNT(closed_at) FROM followup_follow_up"
                        + " WHERE practice_id = ? AND ((created_at >= ? AND created_at < ?) OR (first_contact_at >= ? AND first_contact_at < ?)"
                        + " OR (replied_at >= ? AND replied_at < ?) OR (closed_at >= ? AND closed_at < ?)) GROUP BY state",
                "SELECT channel, state, COUNT(*) FROM followup_send_attempt WHERE practice_id = ? AND created_at >= ? AND created_at < ?"
                        + " GROUP BY channel, state",
                "SELECT state, COUNT(*) FROM followup_task WHERE practice_id = ? AND ((created_at >= ? AND created_at < ?)"
                        + " OR (updated_at >= ? AND updated_at < ?)) GROUP BY state"};
            for (String q : queries) {
                try (PreparedStatement ps = c.prepareStatement(q)) {
                    ps.setString(1, "p1");
                    int params = ps.getParameterMetaData().getParameterCount();
                    for (int i = 2; i <= params; i++) {
                        ps.setTimestamp(i, i % 2 == 0 ? from : to);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows += rs.getLong(q.startsWith("SELECT channel") ? 3 : 2);
                        }
                    }
                }
            }
            c.commit();
        }
        return rows;
    }
}
