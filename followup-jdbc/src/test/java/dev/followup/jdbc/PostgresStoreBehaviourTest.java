package dev.followup.jdbc;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The JDBC store's own promises on the shared embedded PostgreSQL. */
class PostgresStoreBehaviourTest extends JdbcStoreBehaviour {
    @Override
    DatabaseFixture newDatabase() {
        return new DatabaseFixture.Postgres();
    }

    @Override
    List<String> indexNames(Jdbi jdbi) {
        return strings(jdbi, "SELECT indexname FROM pg_indexes");
    }
}
