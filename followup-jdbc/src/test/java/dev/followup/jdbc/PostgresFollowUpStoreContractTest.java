package dev.followup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.spi.FollowUpStore;
import dev.followup.test.contract.FollowUpStoreContract;
import java.util.TimeZone;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store contract on PostgreSQL, with the server, the session and the JVM in America/Chicago. */
class PostgresFollowUpStoreContractTest extends FollowUpStoreContract {
    private static HikariDataSource dataSource;
    private static JdbiFollowUpStore store;

    @BeforeAll
    static void open() {
        dataSource = SharedPostgres.newDatabase(8);
        store = TestKeys.store(dataSource, TestKeys.k1());
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Override
    protected FollowUpStore store() {
        return store;
    }

    @Test
    void runsInANonUtcTimeZoneEverywhere() {
        assertThat(TimeZone.getDefault().getID()).isEqualTo(SharedPostgres.ZONE);
        String session = Jdbi.create(dataSource).withHandle(h -> h.createQuery("SELECT current_setting('TimeZone')")
                .mapTo(String.class).one());
        assertThat(session).isEqualTo(SharedPostgres.ZONE);
        assertThat(store.databaseName()).isEqualTo("POSTGRESQL");
    }
}
