package dev.followup.spring;

import dev.followup.jdbc.JdbiFollowUpStore;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.KeyProvider;
import dev.followup.spring.internal.PropertyKeys;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@link JdbiFollowUpStore} on the application's {@link DataSource} (H2 or PostgreSQL), with the
 * library's own migrations run at start-up ({@code followup.jdbc.migrate}) into its own Flyway
 * history table, beside any migrations of the application. PHI is encrypted with the
 * {@link KeyProvider} bean, by default the keys in {@code followup.encryption.*}. Backs off when the
 * application declares its own {@link FollowUpStore}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "followup.enabled", matchIfMissing = true)
@ConditionalOnClass(JdbiFollowUpStore.class)
@ConditionalOnBean(DataSource.class)
@ConditionalOnMissingBean(FollowUpStore.class)
@EnableConfigurationProperties(FollowUpProperties.class)
public final class FollowUpJdbcAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(FollowUpJdbcAutoConfiguration.class);

    /** Created by Spring. */
    public FollowUpJdbcAutoConfiguration() {}

    /**
     * @param properties {@code followup.*}
     * @return the keys from {@code followup.encryption.*}
     * @throws dev.followup.InvalidConfigurationException if none are configured and throw-away keys are not allowed
     */
    @Bean
    @ConditionalOnMissingBean
    public KeyProvider followUpKeyProvider(FollowUpProperties properties) {
        return PropertyKeys.of(properties.getEncryption());
    }

    /**
     * @param dataSource the application's database
     * @param keys the data-encryption keys
     * @param properties {@code followup.*}
     * @return the store, its schema migrated unless {@code followup.jdbc.migrate=false}
     */
    @Bean
    public JdbiFollowUpStore followUpStore(DataSource dataSource, KeyProvider keys, FollowUpProperties properties) {
        JdbiFollowUpStore store = JdbiFollowUpStore.builder(dataSource).keys(keys).lookupKeyId(properties.getEncryption().getLookupKey())
                .build();
        if (properties.getJdbc().isMigrate()) {
            int applied = store.migrate();
            LOG.info("Followup schema on {} is up to date ({} migration(s) applied)", store.databaseName(), applied);
        }
        return store;
    }
}
