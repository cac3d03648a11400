package dev.followup.jdbc;

import dev.followup.InvalidConfigurationException;
import dev.followup.InvalidInputException;
import dev.followup.followup.FollowUpId;
import dev.followup.jdbc.internal.BlindIndex;
import dev.followup.jdbc.internal.Dialect;
import dev.followup.jdbc.internal.Failures;
import dev.followup.jdbc.internal.FieldCipher;
import dev.followup.jdbc.internal.JdbiPracticeTransaction;
import dev.followup.jdbc.internal.KnownTrailHeads;
import dev.followup.jdbc.internal.Queries;
import dev.followup.jdbc.internal.SchemaMigrator;
import dev.followup.jdbc.internal.Sql;
import dev.followup.jdbc.internal.StoreContext;
import dev.followup.practice.PracticeId;
import dev.followup.spi.Claim;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.KeyProvider;
import dev.followup.spi.PracticeTransaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jspecify.annotations.Nullable;

/**
 * The {@link FollowUpStore} on a relational database through Jdbi: H2 (the embedded default, a file
 * database) or PostgreSQL (production, several engine nodes on one database).
 *
 * <pre>{@code
 * JdbiFollowUpStore store = JdbiFollowUpStore.builder(dataSource)
 *         .keys(ConfiguredKeyProvider.of("k1", Map.of("k1", base64Key, "lookup", base64LookupKey)))
 *         .lookupKeyId("lookup")
 *         .build();
 * store.migrate();
 * }</pre>
 *
 * <p>Each {@link #inTransaction} call runs in one database transaction on its own connection from the
 * data source, at the connection's isolation level: READ COMMITTED, the default of both databases,
 * is all the store needs (a stronger level works too, with more conflicts): every write that could
 * race is guarded by a version compare ({@code UPDATE … WHERE version = ?}), a unique key (need key, send
 * attempt dedupe key, provider message id) or a row lock (claims, the audit trail's head), and a
 * lost race surfaces as {@link dev.followup.ConcurrentUpdateException}. Follow-up and send-attempt
 * updates are held back and sent as one JDBC batch per statement when the transaction next runs a
 * statement or commits (a group's 25 recorded sends cost two round trips, not fifty), so their lost
 * race surfaces there; on PostgreSQL the database chains a transaction's audit events onto the
 * trail in one statement, so the trail head is locked for that statement and the commit only.
 *
 * <p>PHI (patient names, phone, email, MRN, need keys, message bodies, task reply texts) is stored
 * only as AES-256-GCM ciphertext under keys from the {@link KeyProvider}; lookups by phone number,
 * patient identity and need key go through HMAC-SHA256 blind indexes keyed by the lookup key.
 * Instants are stored with microsecond precision.
 */
public final class JdbiFollowUpStore implements FollowUpStore {
    private final DataSource dataSource;
    private final StoreContext ctx;
    private final KeyProvider keys;
    /** See {@link Dialect#H2}: claims are serialised in this JVM on H2. */
    private final @Nullable ReentrantLock claimLock;
    private final String lookupKeyId;
    private static final String LOOKUP_FINGERPRINT = "lookup_key_fingerprint";

    private JdbiFollowUpStore(DataSource dataSource, StoreContext ctx, KeyProvider keys, String lookupKeyId) {
        this.dataSource = dataSource;
        this.ctx = ctx;
        this.keys = keys;
        this.lookupKeyId = lookupKeyId;
        this.claimLock = ctx.dialect() == Dialect.H2 ? new ReentrantLock() : null;
    }

    /**
     * @param dataSource the database (a pool such as HikariCP in production; see {@link EmbeddedDatabase} for H2)
     * @return a builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * Creates or upgrades the library's tables with its own Flyway history table
     * ({@code followup_schema_history}), leaving the host application's migrations alone. Safe to
     * call on every start and from several nodes at once (Flyway locks its history table).
     *
     * @return how many migrations were applied
     * @throws dev.followup.StorageException if a migration failed
     */
    public int migrate() {
        int applied;
        try {
            applied = SchemaMigrator.migrate(dataSource, null);
        } catch (RuntimeException e) {
            throw Failures.translate("migrate the followup schema", e);
        }
        checkLookupKey();
        return applied;
    }

    /**
     * Compares the lookup key's fingerprint with the one recorded by the first store that used this
     * database, recording it if there is none yet. A different lookup key would make every stored
     * blind index unreachable: known patients would look new and re-imports would duplicate
     * follow-ups, so the store refuses to work instead.
     */
    private void checkLookupKey() {
        String mine = ctx.index().fingerprint();
        try {
            ctx.jdbi().useTransaction(handle -> {
                if (!SchemaMigrator.hasSettingsTable(handle.getConnection())) {
                    return; // not migrated yet: migrate() checks
                }
                var stored = handle.createQuery("SELECT setting_value FROM followup_store_setting WHERE name = :name")
                        .bind("name", LOOKUP_FINGERPRINT).mapTo(String.class).findFirst();
                if (stored.isEmpty()) {
                    handle.createUpdate("INSERT INTO followup_store_setting (name, setting_value) VALUES (:name, :value)"
                            + ctx.dialect().onConflictDoNothing()).bind("name", LOOKUP_FINGERPRINT).bind("value", mine).execute();
                } else if (!stored.get().equals(mine)) {
                    throw new InvalidConfigurationException("the lookup key '" + lookupKeyId + "' (fingerprint " + mine
                            + ") is not the one this database was written with (fingerprint " + stored.get() + "): restore the"
                            + " original lookup key; with another one no known patient or follow-up is found again");
                }
            });
        } catch (JdbiException e) {
            throw Failures.translate("check the lookup key", e);
        }
    }

    /** @return the database this store was built for: {@code H2} or {@code POSTGRESQL} */
    public String databaseName() {
        return ctx.dialect().name();
    }

    @Override
    public <T> T inTransaction(PracticeId practiceId, Function<PracticeTransaction, T> work) {
        Objects.requireNonNull(practiceId, "practiceId");
        Objects.requireNonNull(work, "work");
        try {
            // The isolation level is left at the connection's default (READ COMMITTED on both databases):
            // asking the driver to set it costs PostgreSQL round trips on every transaction.
            return ctx.jdbi().withHandle(handle -> {
                // A connection the data source hands out inside a transaction of the caller's (a transaction-aware
                // proxy) is the caller's to commit: Jdbi then runs the work inside it, and so must the store.
                boolean ownsCommit = !handle.isInTransaction();
                return handle.inTransaction(h -> {
                    JdbiPracticeTransaction tx = new JdbiPracticeTransaction(h, practiceId, ctx, ownsCommit);
                    T result = work.apply(tx);
                    tx.commitPending(); // on PostgreSQL, usually with the commit itself
                    return result;
                });
            });
        } catch (JdbiException e) {
            // Begin, commit and rollback failures; the work's own exceptions pass through unchanged.
            throw Failures.translate("transaction of practice " + practiceId, e);
        }
    }

    private record Claimed(Claim claim, Instant due) {}

    private static Claim claimOf(java.sql.ResultSet row, String owner, Instant leaseUntil) throws java.sql.SQLException {
        return new Claim(PracticeId.of(row.getString("practice_id")), FollowUpId.of(row.getString("id")), owner, Sql.stored(leaseUntil));
    }

    /**
     * {@inheritDoc}
     *
     * <p>One transaction: {@code SELECT … ORDER BY next_action_at LIMIT ? FOR UPDATE SKIP LOCKED} on
     * the due-time index, then the leases are written and committed; on PostgreSQL both in one
     * {@code UPDATE … WHERE (practice_id, id) IN (that query) RETURNING}. A lease is live while
     * {@code lease_until > now}; an expired one is claimable again.
     */
    @Override
    public List<Claim> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        if (limit < 1) {
            throw new InvalidInputException("claim limit must be at least 1, was " + limit);
        }
        if (owner.isBlank() || owner.length() > 128) {
            throw new InvalidInputException("claim owner must be 1 to 128 characters");
        }
        if (claimLock != null) {
            claimLock.lock();
        }
        try {
            if (ctx.dialect() == Dialect.POSTGRESQL) {
                return ctx.jdbi().inTransaction(handle -> {
                    List<Claimed> claimed = handle.createQuery(Queries.CLAIM_DUE_AND_LEASE).bind("owner", owner)
                            .bind("leaseUntil", Sql.instant(leaseUntil)).bind("now", Sql.instant(now)).bind("limit", limit)
                            .map((rs, sc) -> new Claimed(claimOf(rs, owner, leaseUntil), Sql.instant(rs, "next_action_at")))
                            .list();
                    // Stable: claims due at the same instant keep the order the statement returned them in.
                    return claimed.stream().sorted(java.util.Comparator.comparing(Claimed::due)).map(Claimed::claim).toList();
                });
            }
            return ctx.jdbi().inTransaction(handle -> {
                List<Claim> claims = new ArrayList<>();
                handle.createQuery(Queries.CLAIM_DUE)
                        .bind("now", Sql.instant(now)).bind("limit", limit)
                        .map((rs, sc) -> claimOf(rs, owner, leaseUntil))
                        .forEach(claims::add);
                if (!claims.isEmpty()) {
                    PreparedBatch batch = handle.prepareBatch("UPDATE followup_follow_up SET claimed_by = :owner,"
                            + " lease_until = :leaseUntil WHERE practice_id = :practice AND id = :id");
                    for (Claim c : claims) {
                        batch.bind("owner", owner).bind("leaseUntil", Sql.instant(leaseUntil))
                                .bind("practice", c.practiceId().value()).bind("id", c.followUpId().value()).add();
                    }
                    batch.execute();
                }
                return claims;
            });
        } catch (RuntimeException e) {
            throw Failures.translate("claim due follow-ups", e);
        } finally {
            if (claimLock != null) {
                claimLock.unlock();
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One indexed query ({@code ORDER BY next_action_at LIMIT 1}); terminal follow-ups have no
     * next action, so only live timers count.
     */
    @Override
    public Optional<Instant> oldestDue(Instant now) {
        Objects.requireNonNull(now, "now");
        try {
            return ctx.jdbi().withHandle(handle -> handle.createQuery(Queries.OLDEST_DUE)
                    .bind("now", Sql.instant(now))
                    .map((rs, sc) -> Sql.instant(rs, "next_action_at"))
                    .findFirst());
        } catch (RuntimeException e) {
            throw Failures.translate("find the oldest due follow-up", e);
        }
    }

    StoreContext context() {
        return ctx;
    }

    KeyProvider keys() {
        return keys;
    }

    @Override
    public String toString() {
        return "JdbiFollowUpStore[" + ctx.dialect() + "]";
    }

    /**
     * Configures a {@link JdbiFollowUpStore}; {@link #build()} checks everything at once and explains
     * what is missing.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private @Nullable KeyProvider keys;
        private @Nullable String lookupKeyId;
        private boolean migrateOnBuild;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * @param keyProvider the data-encryption keys (required); see {@link ConfiguredKeyProvider}
         * @return this builder
         */
        public Builder keys(KeyProvider keyProvider) {
            this.keys = Objects.requireNonNull(keyProvider, "keyProvider");
            return this;
        }

        /**
         * The key, by its id in the {@link KeyProvider}, that keys the blind indexes used to find
         * patients by phone number and identity, and follow-ups by need key (required). Unlike data
         * keys it must never change: stored hashes made with another key are never found again.
         * Keep it out of the data-key rotation; a dedicated id such as {@code lookup} makes that plain.
         *
         * @param keyId the lookup key's id
         * @return this builder
         */
        public Builder lookupKeyId(String keyId) {
            this.lookupKeyId = Objects.requireNonNull(keyId, "keyId");
            return this;
        }

        /**
         * @param migrate whether {@link #build()} runs {@link JdbiFollowUpStore#migrate()} (default
         *     false: the host decides when its database changes, e.g. the Spring starter)
         * @return this builder
         */
        public Builder migrateOnBuild(boolean migrate) {
            this.migrateOnBuild = migrate;
            return this;
        }

        /**
         * @return the store
         * @throws InvalidConfigurationException if keys or the lookup key id are missing, the lookup
         *     key is not the one the database was written with, or the database is neither H2 nor PostgreSQL
         * @throws dev.followup.StorageException if the database cannot be reached
         */
        public JdbiFollowUpStore build() {
            if (keys == null) {
                throw new InvalidConfigurationException("JdbiFollowUpStore needs keys(KeyProvider): PHI is stored encrypted");
            }
            if (lookupKeyId == null) {
                throw new InvalidConfigurationException("JdbiFollowUpStore needs lookupKeyId(id): the id of a KeyProvider key,"
                        + " never rotated, that keys the phone-number and identity lookups");
            }
            KeyProvider.DataKey lookup = keys.key(lookupKeyId).orElseThrow(() -> new InvalidConfigurationException(
                    "the lookup key id '" + lookupKeyId + "' is not known to the KeyProvider"));
            keys.currentKey();
            Dialect dialect;
            try (Connection c = dataSource.getConnection()) {
                dialect = Dialect.of(c.getMetaData().getDatabaseProductName());
            } catch (SQLException e) {
                throw Failures.translate("connect to the database", e);
            }
            StoreContext ctx = new StoreContext(Jdbi.create(dataSource), dialect, new FieldCipher(keys), new BlindIndex(lookup.material()),
                    new KnownTrailHeads());
            JdbiFollowUpStore store = new JdbiFollowUpStore(dataSource, ctx, keys, lookupKeyId);
            if (migrateOnBuild) {
                store.migrate();
            } else {
                store.checkLookupKey();
            }
            return store;
        }
    }
}
