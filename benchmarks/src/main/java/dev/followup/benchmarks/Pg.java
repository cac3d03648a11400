package dev.followup.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One embedded PostgreSQL server for the whole run (no installed server needed). fsync and
 * synchronous_commit are off for both the engine and the baselines alike, so the ratios compare
 * the work done per row, not the disk of a shared machine.
 */
final class Pg implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private final EmbeddedPostgres server;
    private final boolean statementStats;
    private final long postmasterPid;

    /**
     * @param statementStats load pg_stat_statements, so that {@link #printStatementStats} can show where the
     *     server's time went (a profile of the database side, which JFR of the benchmark JVM cannot see)
     * @param settings {@code name=value} server settings that replace or add to the defaults below
     */
    Pg(boolean statementStats, List<String> settings) {
        this.statementStats = statementStats;
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("shared_buffers", "256MB");
            if (statementStats) {
                builder.setServerConfig("shared_preload_libraries", "pg_stat_statements").setServerConfig("pg_stat_statements.track", "all")
                        .setServerConfig("pg_stat_statements.track_planning", "on");
            }
            for (String setting : settings) {
                int equals = setting.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException("--pg-config wants name=value, not " + setting);
                }
                builder.setServerConfig(setting.substring(0, equals), setting.substring(equals + 1));
            }
            server = builder.start();
            postmasterPid = findPostmasterPid();
            if (statementStats) {
                admin("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** Forgets the statement statistics gathered so far (no-op without {@code --pg-stats}). */
    void resetStatementStats() {
        if (statementStats) {
            admin("SELECT pg_stat_statements_reset()");
        }
    }

    /**
     * Prints the statements that took most of the server's time in {@code database} since the last
     * reset, with calls, rows and mean time (no-op without {@code --pg-stats}).
     */
    void printStatementStats(String label, String database, int limit) {
        if (!statementStats) {
            return;
        }
        String sql = "SELECT calls, rows, total_exec_time, mean_exec_time, total_plan_time, query, plans FROM pg_stat_statements s"
                + " JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = ? ORDER BY total_exec_time + total_plan_time DESC";
        try (Connection c = server.getPostgresDatabase().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, database);
            double total = 0;
            long calls = 0;
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double ms = rs.getDouble(3) + rs.getDouble(5);
                    total += ms;
                    calls += rs.getLong(1);
                    if (lines.size() < limit) {
                        String query = rs.getString(6).replaceAll("\\s+", " ");
                        lines.add(String.format("  %9.1f ms %8d calls %9d rows %7.3f ms/call  %6d plans %7.1f ms  %s", ms, rs.getLong(1), rs.getLong(2),
                                rs.getDouble(4), rs.getLong(7), rs.getDouble(5), query.length() > 160 ? query.substring(0, 160) + "..." : query));
                    }
                }
            }
            System.out.printf("pg_stat_statements, %s: %.1f ms of server time in %,d statements%n", label, total, calls);
            lines.forEach(System.out::println);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read pg_stat_statements", e);
        }
    }

    /**
     * @return the CPU time the server's processes have used so far: the postmaster, its live
     *     children (backends, writers) and the children it has reaped; -1 where {@code /proc} is not there
     */
    long serverCpuNanos() {
        if (postmasterPid < 0) {
            return -1;
        }
        long ticks = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String name = process.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] stat = procStat(process.resolve("stat"));
                if (stat == null) {
                    continue; // it exited while the list was read: its time is in the postmaster's reaped children now
                }
                long pid = Long.parseLong(name);
                if (pid == postmasterPid) {
                    ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]) + Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
                } else if (Long.parseLong(stat[1]) == postmasterPid) {
                    ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    }

    /** @return the fields of a /proc stat file after the command name (state first), or null if it is gone */
    private static String @Nullable [] procStat(Path file) {
        try {
            String text = Files.readString(file);
            return text.substring(text.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    /** A snapshot of the CPU both sides have used so far ({@code serverNanos} -1 where unknown), for {@link CpuPerUnit}. */
    record CpuCost(long jvmNanos, long serverNanos) {
        static CpuCost now(Pg pg) {
            return new CpuCost(processCpuNanos(), pg.serverCpuNanos());
        }
    }

    /** @return the CPU time this JVM has used, all threads (the JIT compiler's and the collector's too) */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** What this JVM spent, from a start to now: the part of a run's cost that is not the engine's own work. */
    record JvmCost(long cpuNanos, long compileMillis, long gcMillis) {
        static JvmCost now() {
            long gc = ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
            return new JvmCost(processCpuNanos(), ManagementFactory.getCompilationMXBean().getTotalCompilationTime(), gc);
        }

        String since(JvmCost start, double runSeconds) {
            return String.format(" (this JVM: %.2f s of CPU, %.2f s of it or beside it JIT compilation, %.2f s GC, for %.2f s of run)",
                    (cpuNanos - start.cpuNanos) / 1e9, (compileMillis - start.compileMillis) / 1e3, (gcMillis - start.gcMillis) / 1e3, runSeconds);
        }
    }

    /** @return the server's postmaster: the parent of a backend; -1 where {@code /proc} is not there */
    private long findPostmasterPid() {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            String[] stat = procStat(Path.of("/proc", Integer.toString(rs.getInt(1)), "stat"));
            return stat == null ? -1 : Long.parseLong(stat[1]);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot ask the server for a backend's process id", e);
        }
    }

    private void admin(String sql) {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }

    /** @return the name of a new empty database, or a copy of {@code template} when it is not null */
    String createDatabase(String prefix, String template) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        admin("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
        return name;
    }

    void dropDatabase(String name) {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    String jdbcUrl(String database) {
        return server.getJdbcUrl("postgres", database);
    }

    HikariDataSource pool(String database, int size) {
        return poolAt(jdbcUrl(database), size);
    }

    static HikariDataSource poolAt(String jdbcUrl, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername("postgres");
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
