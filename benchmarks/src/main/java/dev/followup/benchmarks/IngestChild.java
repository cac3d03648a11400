package dev.followup.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.FollowUpEngine;
import dev.followup.ingest.ImportResult;
import dev.followup.jdbc.EmbeddedDatabase;
import dev.followup.jdbc.JdbiFollowUpStore;
import dev.followup.practice.PracticeId;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import java.io.BufferedReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * One ingestion measurement in a JVM of its own, started by {@link IngestBench} with -Xmx256m so
 * that the memory bound is real. Warms up on a small list first, then times the big one and prints
 * {@code RESULT <millis> <rows>}.
 *
 * <p>Usage: {@code IngestChild engine-pg|copy-pg|engine-h2|batch-h2 <csv> <warm-up csv> <jdbc url | h2 directory>}
 */
public final class IngestChild {
    private IngestChild() {}

    /**
     * @param args task, list, warm-up list, target database
     * @throws Exception on any failure (the parent reports it)
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        String task = args[0];
        Path csv = Path.of(args[1]);
        Path warmUp = Path.of(args[2]);
        String target = args[3];
        long millis;
        int rows;
        switch (task) {
            case "engine-pg" -> {
                try (HikariDataSource ds = Pg.poolAt(target, 4)) {
                    long[] r = engine(ds, csv, warmUp);
                    millis = r[0];
                    rows = (int) r[1];
                }
            }
            case "engine-h2" -> {
                try (EmbeddedDatabase db = EmbeddedDatabase.open(Path.of(target))) {
                    long[] r = engine(db.dataSource(), csv, warmUp);
                    millis = r[0];
                    rows = (int) r[1];
                }
            }
            case "copy-pg" -> {
                try (HikariDataSource ds = Pg.poolAt(target, 2); Connection c = ds.getConnection()) {
                    createBare(c, "bare_import_warm");
                    createBare(c, "bare_import");
                    copy(c, "bare_import_warm", warmUp);
                    long t0 = System.nanoTime();
                    rows = (int) copy(c, "bare_import", csv);
                    millis = (System.nanoTime() - t0) / 1_000_000;
                }
            }
            case "batch-h2" -> {
                try (EmbeddedDatabase db = EmbeddedDatabase.open(Path.of(target)); Connection c = db.dataSource().getConnection()) {
                    createBare(c, "bare_import_warm");
                    createBare(c, "bare_import");
                    batch(c, "bare_import_warm", warmUp);
                    long t0 = System.nanoTime();
                    rows = batch(c, "bare_import", csv);
                    millis = (System.nanoTime() - t0) / 1_000_000;
                }
            }
            default -> throw new IllegalArgumentException("unknown task " + task);
        }
        System.out.println("RESULT " + millis + " " + rows);
    }

    private static long[] engine(DataSource ds, Path csv, Path warmUp) {
        JdbiFollowUpStore store = Fixtures.store(ds);
        FollowUpEngine engine = Fixtures.engine(store, MutableClock.at(Fixtures.MONDAY), new InMemorySmsSender(), "ingest", "warm", "p1");
        engine.ingest(PracticeId.of("warm"), warmUp);
        long t0 = System.nanoTime();
        ImportResult result = engine.ingest(PracticeId.of("p1"), csv);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if (result.rejected() > 0) {
            throw new IllegalStateException("rows rejected: " + result.rejected());
        }
        return new long[] {millis, result.accepted()};
    }

    private static void createBare(Connection c, String table) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (mrn VARCHAR(64), first_name VARCHAR(80), last_name VARCHAR(80), phone VARCHAR(32),"
                    + " email VARCHAR(255), provider VARCHAR(80), type_code VARCHAR(48), preferred_window VARCHAR(32), language VARCHAR(8))");
        }
    }

    private static long copy(Connection c, String table, Path csv) throws Exception {
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN WITH (FORMAT csv, HEADER true)", r);
        }
    }

    /** The bare H2 baseline: split each synthetic line (no quotes in it) and insert in JDBC batches of 1,000. */
    private static int batch(Connection c, String table, Path csv) throws Exception {
        c.setAutoCommit(false);
        int rows = 0;
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?,?,?,?,?,?,?,?,?)")) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split(",", -1);
                for (int i = 0; i < 9; i++) {
                    ps.setString(i + 1, f[i]);
                }
                ps.addBatch();
                if (++rows % 1000 == 0) {
                    ps.executeBatch();
                    c.commit();
                }
            }
            ps.executeBatch();
            c.commit();
        }
        return rows;
    }
}
