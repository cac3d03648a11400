package dev.followup.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Benchmark 1: a generated list ingested through {@code engine.ingest} (parse, validate, phones,
 * encrypt, dedupe, persist) against a raw {@code COPY} into a bare PostgreSQL table, and against a
 * bare JDBC batch insert into H2; and, on each database, against the schema's floor (the same rows
 * written by set-based SQL, with no Java work). Every measurement runs in a child JVM with -Xmx256m.
 */
final class IngestBench {
    private final Pg pg;
    private final Report out;
    private final List<String> extraJvmArgs;

    IngestBench(Pg pg, Report out, List<String> extraJvmArgs) {
        this.pg = pg;
        this.out = out;
        this.extraJvmArgs = extraJvmArgs;
    }

    /**
     * @param postgres whether to measure the PostgreSQL side (engine and COPY)
     * @param h2 whether to measure the H2 side (engine and batch insert)
     */
    void run(int rows, int reps, boolean postgres, boolean h2) throws Exception {
        Path csv = Fixtures.csv(0, rows);
        Path warm = Fixtures.csv(rows + 1, Math.min(2_000, rows));
        Stats enginePg = new Stats();
        Stats copyPg = new Stats();
        Stats floorPg = new Stats();
        Stats engineH2 = new Stats();
        Stats batchH2 = new Stats();
        Stats floorH2 = new Stats();
        for (int rep = 0; rep < reps; rep++) {
            if (postgres) {
                String db = pg.createDatabase("ingest", null);
                pg.resetStatementStats();
                enginePg.add(child("engine-pg", csv, warm, pg.jdbcUrl(db), rows));
                pg.printStatementStats("ingestion, repetition " + rep, db, 15);
                pg.dropDatabase(db);
                db = pg.createDatabase("copy", null);
                copyPg.add(child("copy-pg", csv, warm, pg.jdbcUrl(db), rows));
                pg.dropDatabase(db);
                db = pg.createDatabase("floor", null);
                pg.resetStatementStats();
                floorPg.add(child("floor-pg", csv, warm, pg.jdbcUrl(db), rows));
                pg.printStatementStats("the schema's floor, repetition " + rep, db, 6);
                pg.dropDatabase(db);
            }
            if (h2) {
                Path dir = Files.createTempDirectory("followup-bench-h2");
                engineH2.add(child("engine-h2", csv, warm, dir.toString(), rows));
                delete(dir);
                dir = Files.createTempDirectory("followup-bench-h2");
                batchH2.add(child("batch-h2", csv, warm, dir.toString(), rows));
                delete(dir);
                dir = Files.createTempDirectory("followup-bench-h2");
                floorH2.add(child("floor-h2", csv, warm, dir.toString(), rows));
                delete(dir);
            }
        }
        if (postgres) {
            out.pair("ingest PostgreSQL, " + String.format("%,d", rows) + " rows, -Xmx256m", "rows/s", enginePg, "COPY bare table", copyPg, 0.4);
            // Not a target of the issue: how far the COPY target is from what the schema allows at all.
            out.pair("ingest PostgreSQL against the schema's floor, " + String.format("%,d", rows) + " rows", "rows/s", enginePg,
                    "COPY, then set-based SQL into the real tables", floorPg, 0);
            out.pair("the schema's floor against COPY into a bare table (the best ratio any import could reach), " + String.format("%,d", rows)
                    + " rows", "rows/s", floorPg, "COPY bare table", copyPg, 0);
        }
        if (h2) {
            out.pair("ingest H2, " + String.format("%,d", rows) + " rows, -Xmx256m", "rows/s", engineH2, "JDBC batch bare table", batchH2, 0.5);
            out.pair("ingest H2 against the schema's floor, " + String.format("%,d", rows) + " rows", "rows/s", engineH2,
                    "JDBC batches, then set-based SQL into the real tables", floorH2, 0);
            out.pair("H2: the schema's floor against the batch into a bare table (the best ratio any import could reach), "
                    + String.format("%,d", rows) + " rows", "rows/s", floorH2, "JDBC batch bare table", batchH2, 0);
        }
        Files.deleteIfExists(csv);
        Files.deleteIfExists(warm);
    }

    /** @return rows per second measured inside the child JVM (its start-up is not counted) */
    private double child(String task, Path csv, Path warm, String target, int rows) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        // "{task}" in an extra argument names the measurement, e.g. a JFR file per child.
        extraJvmArgs.forEach(a -> cmd.add(a.replace("{task}", task)));
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(IngestChild.class.getName());
        cmd.add(task);
        cmd.add(csv.toString());
        cmd.add(warm.toString());
        cmd.add(target);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String result = null;
        StringBuilder log = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                } else {
                    log.append(line).append('\n');
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || result == null) {
            throw new IllegalStateException(task + " failed (exit " + exit + "):\n" + log);
        }
        String[] f = result.split(" ");
        long millis = Math.max(1, Long.parseLong(f[1]));
        int done = Integer.parseInt(f[2]);
        if (done != rows) {
            throw new IllegalStateException(task + " stored " + done + " of " + rows + " rows");
        }
        System.err.printf("  %s: %,d rows in %,d ms%n", task, done, millis);
        return done * 1000.0 / millis;
    }

    /** Under exec:java the program's classes come from a class loader of the plugin, not java.class.path. */
    private static String classpath() throws URISyntaxException {
        ClassLoader cl = IngestBench.class.getClassLoader();
        if (cl instanceof URLClassLoader u) {
            List<String> parts = new ArrayList<>();
            for (URL url : u.getURLs()) {
                parts.add(Path.of(url.toURI()).toString());
            }
            return String.join(File.pathSeparator, parts);
        }
        return System.getProperty("java.class.path");
    }

    private static void delete(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
