package dev.followup.jdbc;

import java.util.Base64;
import java.util.Map;

/** Fixed keys for tests: two data keys (for rotation) and the lookup key. */
final class TestKeys {
    static final String K1 = Base64.getEncoder().encodeToString(bytes(1));
    static final String K2 = Base64.getEncoder().encodeToString(bytes(2));
    static final String LOOKUP = Base64.getEncoder().encodeToString(bytes(9));

    private TestKeys() {}

    static ConfiguredKeyProvider current(String currentId) {
        return ConfiguredKeyProvider.of(currentId, Map.of("k1", K1, "k2", K2, "lookup", LOOKUP));
    }

    static ConfiguredKeyProvider k1() {
        return current("k1");
    }

    static JdbiFollowUpStore store(javax.sql.DataSource dataSource, ConfiguredKeyProvider keys) {
        return JdbiFollowUpStore.builder(dataSource).keys(keys).lookupKeyId("lookup").migrateOnBuild(true).build();
    }

    private static byte[] bytes(int seed) {
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }
}
