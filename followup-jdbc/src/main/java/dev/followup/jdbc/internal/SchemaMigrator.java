package dev.followup.jdbc.internal;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Runs the library's own Flyway migrations, kept apart from the host application's: its own
 * history table and its own script location, so the two never see each other's scripts.
 */
public final class SchemaMigrator {
    /** The history table; the host application's Flyway keeps using its own. */
    public static final String HISTORY_TABLE = "followup_schema_history";
    /** Where the scripts live on the class path. */
    public static final String LOCATION = "classpath:dev/followup/jdbc/migration";

    private SchemaMigrator() {}

    /**
     * @param dataSource the database
     * @param target the version to migrate to, or null for the latest
     * @return how many migrations were applied
     */
    public static int migrate(DataSource dataSource, String target) {
        MigrateResult result = configure(dataSource, target).migrate();
        return result.migrationsExecuted;
    }

    /**
     * @param connection a connection
     * @return whether the store's settings table exists (the schema is at version 3 or later)
     */
    public static boolean hasSettingsTable(java.sql.Connection connection) {
        try (java.sql.ResultSet rs = connection.getMetaData().getTables(null, connection.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                if ("followup_store_setting".equalsIgnoreCase(rs.getString("TABLE_NAME"))) {
                    return true;
                }
            }
            return false;
        } catch (java.sql.SQLException e) {
            throw Failures.translate("read the database's tables", e);
        }
    }

    private static Flyway configure(DataSource dataSource, String target) {
        var config = Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(dataSource)
                .table(HISTORY_TABLE)
                .locations(LOCATION)
                // The host's schema is usually not empty: start our own history at 0 instead of
                // refusing, so that V1 still runs.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("followup baseline")
                // Never drop anything: a library must not offer to clean its host's database.
                .cleanDisabled(true)
                // During a rolling upgrade a node of the previous release meets a newer schema: let it start.
                .ignoreMigrationPatterns("*:future");
        if (target != null) {
            config = config.target(target);
        }
        return config.load();
    }
}
