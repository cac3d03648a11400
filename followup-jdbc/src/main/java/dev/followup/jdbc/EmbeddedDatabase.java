package dev.followup.jdbc;

import dev.followup.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The embedded default: an H2 database in files of one directory, behind a small connection pool.
 * The database file is {@code <directory>/followup.mv.db}; by convention the directory is
 * {@code ~/.followup/data} ({@link #defaultDirectory()}). One JVM at a time may open it.
 *
 * <pre>{@code
 * try (EmbeddedDatabase db = EmbeddedDatabase.open(EmbeddedDatabase.defaultDirectory())) {
 *     JdbiFollowUpStore store = JdbiFollowUpStore.builder(db.dataSource()).keys(keys).lookupKeyId("lookup")
 *             .migrateOnBuild(true).build();
 *     ...
 * }
 * }</pre>
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 16;

    private final JdbcConnectionPool pool;
    private final Path directory;

    private EmbeddedDatabase(JdbcConnectionPool pool, Path directory) {
        this.pool = pool;
        this.directory = directory;
    }

    /** @return {@code ~/.followup/data}, the directory the demo and the README use */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".followup", "data");
    }

    /**
     * @param directory where the database files live; created if missing
     * @return the open database
     * @throws StorageException if the directory cannot be created
     */
    public static EmbeddedDatabase open(Path directory) {
        Objects.requireNonNull(directory, "directory");
        Path dir = directory.toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create the database directory " + dir + " (" + e.getClass().getSimpleName() + ")");
        }
        // LOCK_TIMEOUT: appenders of one practice's audit trail queue on its head row; the default 1 s
        // is too short for a busy practice. QUERY_CACHE_SIZE: a step of the engine runs some twenty
        // distinct statements; H2 keeps 8 parsed per connection by default and would parse them
        // again for every row of an import.
        String url = "jdbc:h2:file:" + dir.resolve("followup") + ";LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
        pool.setMaxConnections(MAX_CONNECTIONS);
        return new EmbeddedDatabase(pool, dir);
    }

    /** @return the pooled data source */
    public DataSource dataSource() {
        return pool;
    }

    /** @return the directory holding the database files */
    public Path directory() {
        return directory;
    }

    /** Closes the pool's connections; H2 closes the database files with the last one. */
    @Override
    public void close() {
        pool.dispose();
    }
}
