package dev.followup.jdbc;

import dev.followup.spi.FollowUpStore;
import dev.followup.test.contract.FollowUpStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an H2 file database. */
class H2FollowUpStoreContractTest extends FollowUpStoreContract {
    @TempDir
    static Path directory;
    private static EmbeddedDatabase database;
    private static JdbiFollowUpStore store;

    @BeforeAll
    static void open() {
        database = EmbeddedDatabase.open(directory);
        store = TestKeys.store(database.dataSource(), TestKeys.k1());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Override
    protected FollowUpStore store() {
        return store;
    }
}
