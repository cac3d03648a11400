package dev.followup.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/** A fresh database of one kind, and a way to read every table of it back as text. */
abstract class DatabaseFixture implements AutoCloseable {

    abstract DataSource dataSource();

    /** @return raw bytes of the database's files, where the test can read them (the database is closed after) */
    String rawFiles() {
        return "";
    }

    /** @return every row of every table whose name starts with followup, as text; byte columns in UTF-8 and hex */
    String dumpAllTables() {
        StringBuilder out = new StringBuilder();
        try (Connection c = dataSource().getConnection()) {
            List<String> tables = new ArrayList<>();
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet rs = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME");
                    if (name.toLowerCase(Locale.ROOT).startsWith("followup")) {
                        tables.add(name);
                    }
                }
            }
            if (tables.size() < 10) {
                throw new IllegalStateException("expected every followup table, found " + tables);
            }
            for (String table : tables) {
                out.append("== ").append(table).append('\n');
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            Object v = rs.getObject(i);
                            if (v instanceof byte[] b) {
                                out.append(new String(b, StandardCharsets.UTF_8)).append('|').append(HexFormat.of().formatHex(b));
                            } else {
                                out.append(v);
                            }
                            out.append('\t');
                        }
                        out.append('\n');
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** H2 in files of a temporary directory. */
    static final class H2 extends DatabaseFixture {
        private final Path directory;
        private final EmbeddedDatabase database;
        private boolean closed;

        H2() {
            try {
                directory = Files.createTempDirectory("followup-h2");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            database = EmbeddedDatabase.open(directory);
        }

        @Override
        DataSource dataSource() {
            return database.dataSource();
        }

        /** Closes the database, so that H2 writes everything out, and returns what its files hold. */
        @Override
        String rawFiles() {
            close();
            StringBuilder out = new StringBuilder();
            try (var files = Files.list(directory)) {
                for (Path p : files.toList()) {
                    out.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                database.close();
            }
        }
    }

    /** A new database on the shared embedded PostgreSQL. */
    static final class Postgres extends DatabaseFixture {
        private final com.zaxxer.hikari.HikariDataSource dataSource = SharedPostgres.newDatabase(6);

        @Override
        DataSource dataSource() {
            return dataSource;
        }

        @Override
        public void close() {
            dataSource.close();
        }
    }
}
