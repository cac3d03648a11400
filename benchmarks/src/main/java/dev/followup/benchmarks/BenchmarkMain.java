package dev.followup.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmarks of issue 8, each figure printed beside a bare-database baseline measured in the
 * same run (see BENCHMARKS.md at the repository root for the command and the recorded figures).
 *
 * <p>Options: {@code --quick} (small sizes, about two minutes), {@code --only ingest|ingest-pg|ingest-h2|throughput|inbound|latency|report}
 * (ingest-pg and ingest-h2: one database of the ingestion benchmark),
 * {@code --reps N} (measured repetitions after one warm-up), {@code --rows N} (override the size of the
 * selected benchmarks), {@code --child-jvm-arg ARG} (repeatable, for the ingestion child JVMs; "{task}" in it is replaced by the measurement's name,
 * e.g. {@code -XX:StartFlightRecording=filename=/tmp/{task}.jfr,settings=profile}), {@code --pg-stats} (load
 * pg_stat_statements and print, after each engine-side run of the throughput and inbound benchmarks, the statements
 * that took the server's time: the profile of the database side), {@code --pg-config name=value} (repeatable, a setting of
 * the embedded server over the defaults in {@link Pg}, for trying how the server's configuration moves the figures),
 * {@code --latency-ms N} (how long the provider of the latency benchmark takes to answer a text, 20 by default),
 * {@code --latency-runs 1,4,16} (the runs at once the latency benchmark measures, these by default).
 */
public final class BenchmarkMain {
    private BenchmarkMain() {}

    /**
     * @param args the options above
     * @throws Exception when a benchmark fails (its figures would mean nothing)
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        boolean quick = false;
        String only = null;
        int reps = -1;
        int rows = -1;
        boolean pgStats = false;
        int latencyMillis = 20;
        int[] latencyRuns = {1, 4, 16};
        List<String> childArgs = new ArrayList<>();
        List<String> pgConfig = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> only = args[++i];
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--child-jvm-arg" -> childArgs.add(args[++i]);
                case "--pg-stats" -> pgStats = true;
                case "--pg-config" -> pgConfig.add(args[++i]);
                case "--latency-ms" -> latencyMillis = Integer.parseInt(args[++i]);
                case "--latency-runs" -> latencyRuns = java.util.Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        int r = reps > 0 ? reps : quick ? 2 : 5;
        Report out = new Report();
        System.out.printf("Followup benchmarks (%s mode), %d measured repetitions after a warm-up; Java %s, %d CPUs%n",
                quick ? "quick" : "full", r, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        try (Pg pg = new Pg(pgStats, pgConfig)) {
            if (only == null || only.startsWith("ingest")) {
                new IngestBench(pg, out, childArgs).run(rows > 0 ? rows : quick ? 2_000 : 1_000_000, quick ? 2 : Math.min(r, 3),
                        only == null || !only.equals("ingest-h2"), only == null || !only.equals("ingest-pg"));
            }
            if (only == null || only.equals("throughput")) {
                new ThroughputBench(pg, out).run(rows > 0 ? rows : quick ? 100 : 10_000, r, new int[] {1, 2, 4});
            }
            if (only == null || only.equals("inbound")) {
                new InboundBench(pg, out).run(rows > 0 ? rows : quick ? 200 : 5_000, r, new int[] {1, 2, 4});
            }
            if (only == null || only.equals("latency")) {
                new ProviderLatencyBench(pg, out).run(rows > 0 ? rows : quick ? 100 : 1_000, quick ? 1 : Math.min(r, 3), latencyMillis,
                        latencyRuns);
            }
            if (only == null || only.equals("report")) {
                new ReportBench(pg, out).run(rows > 0 ? rows : quick ? 20_000 : 1_000_000, quick ? 3 : r);
            }
        }
        out.summary();
        System.out.printf("total %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
