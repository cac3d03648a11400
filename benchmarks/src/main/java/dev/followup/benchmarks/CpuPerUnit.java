package dev.followup.benchmarks;

/**
 * The CPU each side spent per unit of work (a step, a reply) over a benchmark's measured
 * repetitions: on a shared machine it moves much less from run to run than the rates do.
 */
final class CpuPerUnit {
    private final Stats jvm = new Stats();
    private final Stats server = new Stats();

    /** Adds one repetition: {@code units} of work done between the two snapshots. */
    void add(Pg.CpuCost start, Pg.CpuCost end, int units) {
        jvm.add((end.jvmNanos() - start.jvmNanos()) / 1e6 / units);
        server.add(end.serverNanos() < 0 || start.serverNanos() < 0 ? -1 : (end.serverNanos() - start.serverNanos()) / 1e6 / units);
    }

    /** @return the report's line, in milliseconds per {@code unit} (-1 for the server where {@code /proc} is not there) */
    String line(String unit) {
        return String.format("    CPU per %s, engine side: this JVM %s; the server %s", unit, jvm.describeFine("ms"), server.describeFine("ms"));
    }
}
