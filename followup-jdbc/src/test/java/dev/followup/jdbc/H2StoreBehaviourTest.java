package dev.followup.jdbc;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The JDBC store's own promises on H2 in files of a temporary directory (the raw files are scanned too). */
class H2StoreBehaviourTest extends JdbcStoreBehaviour {
    @Override
    DatabaseFixture newDatabase() {
        return new DatabaseFixture.H2();
    }

    @Override
    List<String> indexNames(Jdbi jdbi) {
        return strings(jdbi, "SELECT LOWER(index_name) FROM information_schema.indexes");
    }
}
