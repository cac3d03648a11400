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
 * <p>Usage: {@code IngestChild engine-pg|copy-pg|floor-pg|engine-h2|batch-h2|floor-h2 <csv> <warm-up csv> <jdbc url | h2 directory>}
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
            case "floor-pg" -> {
                try (HikariDataSource ds = Pg.poolAt(target, 2)) {
                    Fixtures.store(ds); // the real schema, migrated
                    try (Connection c = ds.getConnection()) {
                        createNumbered(c, "floor_import_warm");
                        createNumbered(c, "floor_import");
                        schemaFloor(c, Dialect.POSTGRES, "floor_import_warm", warmUp, "warm");
                        long t0 = System.nanoTime();
                        rows = schemaFloor(c, Dialect.POSTGRES, "floor_import", csv, "p1");
                        millis = (System.nanoTime() - t0) / 1_000_000;
                    }
                }
            }
            case "floor-h2" -> {
                try (EmbeddedDatabase db = EmbeddedDatabase.open(Path.of(target))) {
                    Fixtures.store(db.dataSource()); // the real schema, migrated
                    try (Connection c = db.dataSource().getConnection()) {
                        createNumbered(c, "floor_import_warm");
                        createNumbered(c, "floor_import");
                        schemaFloor(c, Dialect.H2, "floor_import_warm", warmUp, "warm");
                        long t0 = System.nanoTime();
                        rows = schemaFloor(c, Dialect.H2, "floor_import", csv, "p1");
                        millis = (System.nanoTime() - t0) / 1_000_000;
                    }
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

    private static final String BARE_COLUMNS = "mrn VARCHAR(64), first_name VARCHAR(80), last_name VARCHAR(80), phone VARCHAR(32),"
            + " email VARCHAR(255), provider VARCHAR(80), type_code VARCHAR(48), preferred_window VARCHAR(32), language VARCHAR(8)";

    private static void createBare(Connection c, String table) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (" + BARE_COLUMNS + ")");
        }
    }

    /** A bare table that numbers its rows as they are copied in, so that the floor numbers them once. */
    private static void createNumbered(Connection c, String table) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (n BIGINT GENERATED ALWAYS AS IDENTITY, " + BARE_COLUMNS + ")");
        }
    }

    private static long copy(Connection c, String table, Path csv) throws Exception {
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN WITH (FORMAT csv, HEADER true)", r);
        }
    }

    /**
     * What the schema itself costs, with no Java work at all: the list is loaded into a numbered bare
     * table (PostgreSQL: COPY; H2: the baseline's JDBC batches), then turned into the rows an import
     * writes (a patient, a follow-up and an audit event per line, with time-ordered ids,
     * blind-index-sized hashes and values the size of their ciphertexts) by three set-based
     * statements, into the real tables with all their indexes, in one transaction. No implementation
     * that persists these rows can be faster on this machine.
     */
    private static int schemaFloor(Connection c, Dialect dialect, String table, Path csv, String practice) throws Exception {
        c.setAutoCommit(false);
        String columns = table + " (" + BARE_COLUMNS.replaceAll(" VARCHAR\\(\\d+\\)", "") + ")"; // n is generated
        int rows = dialect == Dialect.POSTGRES ? (int) copy(c, columns, csv) : batch(c, columns, csv);
        String patientId = dialect.id("n", "8000", "mrn");
        String followUpId = dialect.id("n", "8001", "mrn");
        try (Statement s = c.createStatement()) {
            int patients = s.executeUpdate("INSERT INTO followup_patient (practice_id, id, identity_hash, phone_hash, key_id, mrn_enc, first_name_enc,"
                    + " last_name_enc, phone_enc, phone_line_type, email_enc, language, time_zone) SELECT '" + practice + "', "
                    + patientId + ", " + dialect.hash("mrn") + ", " + dialect.hash("phone") + ", 'k1', " + dialect.sealed("mrn") + ", "
                    + dialect.sealed("first_name") + ", " + dialect.sealed("last_name") + ", " + dialect.sealed("phone") + ", 'MOBILE', "
                    + dialect.sealed("email") + ", language, NULL FROM " + table);
            int followUps = s.executeUpdate("INSERT INTO followup_follow_up (practice_id, id, patient_id, provider_id, provider_name, type_code,"
                    + " preferred_days, preferred_from, preferred_to, due_date, batch_id, need_hash, key_id, need_key_enc, policy_name,"
                    + " state, next_step, next_action_at, created_at, offered_slots, slot_offers, version) SELECT '" + practice + "', "
                    + followUpId + ", " + patientId + ", provider, provider, type_code, 31, 0, 43200000000000, NULL, 'batch-1', "
                    + dialect.hash("mrn || type_code || provider") + ", 'k1', "
                    + dialect.sealed(dialect.md5("mrn") + " || '|' || type_code || '|' || provider")
                    + ", 'default', 'PENDING', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '', 0, 0 FROM " + table + dialect.skipKnown());
            int events = s.executeUpdate("INSERT INTO followup_audit_event (practice_id, seq, type, actor, follow_up_id, patient_id, attributes,"
                    + " occurred_at, previous_hash, hash) SELECT '" + practice + "', n, 'FOLLOW_UP_CREATED', 'system', " + followUpId
                    + ", " + patientId + ", 'batch=batch-1;policy=default;type=' || type_code, CURRENT_TIMESTAMP, "
                    + dialect.hash("mrn || 'previous'") + ", " + dialect.hash("mrn || 'this'") + " FROM " + table);
            if (patients != rows || followUps != rows || events != rows) {
                throw new IllegalStateException("the floor wrote " + patients + " patients, " + followUps + " follow-ups and " + events
                        + " audit events for " + rows + " rows");
            }
        }
        c.commit();
        return rows;
    }

    /** The floor's SQL in each database's words: the cheapest stand-ins each has for the values an import makes. */
    private enum Dialect {
        POSTGRES("md5(%s)", "lpad(to_hex(%s), 12, '0')", "'\\x%s'::bytea || convert_to(%s, 'UTF8')", " ON CONFLICT DO NOTHING"),
        // the list's needs are distinct; H2 has no ON CONFLICT outside its PostgreSQL mode
        H2("LOWER(RAWTOHEX(HASH('MD5', %s)))", "LPAD(CAST(%s AS VARCHAR), 12, '0')", "X'%s' || STRINGTOUTF8(%s)", "");

        /** Format, key id and IV of a sealed value, as bytes in hex; with the tag, 32 bytes besides the value. */
        private static final String SEALED_PREFIX = "01026b31" + "00".repeat(28);

        private final String md5;
        private final String paddedNumber;
        private final String sealed;
        private final String skipKnown;

        Dialect(String md5, String paddedNumber, String sealed, String skipKnown) {
            this.md5 = md5;
            this.paddedNumber = paddedNumber;
            this.sealed = sealed;
            this.skipKnown = skipKnown;
        }

        /** @return 32 hex characters from one MD5 of the expression */
        String md5(String expression) {
            return md5.formatted(expression);
        }

        /** @return a time-ordered id: the row's number first, so that rows append at the primary key's right edge */
        String id(String number, String variant, String expression) {
            return paddedNumber.formatted(number) + " || '-7000-" + variant + "-' || " + md5(expression);
        }

        /** @return as many bytes as the stored form of an AES-GCM sealed value: the value and 32 (format, key id, IV, tag) */
        String sealed(String expression) {
            return sealed.formatted(SEALED_PREFIX, expression);
        }

        /** @return what the follow-ups' insert ends with, as the import's does where the database can say it */
        String skipKnown() {
            return skipKnown;
        }

        /** @return 64 hex characters spread as a blind index's or an audit hash's are (one MD5, twice: the cheapest stand-in) */
        String hash(String expression) {
            return "repeat(" + md5(expression) + ", 2)";
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
