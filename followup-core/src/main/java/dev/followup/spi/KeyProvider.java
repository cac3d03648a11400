package dev.followup.spi;

import java.util.Optional;

/**
 * Supplies the data-encryption keys that protect PHI at rest, by id, so that keys can rotate:
 * new values are written under {@link #currentKey()}, old ones stay readable under their own id.
 */
public interface KeyProvider {

    /** @return the key new values are encrypted with */
    DataKey currentKey();

    /**
     * @param keyId the id stored beside a ciphertext
     * @return that key, if it is still available
     */
    Optional<DataKey> key(String keyId);

    /**
     * A 256-bit key with its id. {@link #toString()} never shows the key material.
     *
     * @param id the key's id, stored beside every value it encrypts
     * @param material 32 bytes
     */
    record DataKey(String id, byte[] material) {
        /** Validates and copies the key. */
        public DataKey {
            if (id == null || !id.matches("[A-Za-z0-9._-]{1,32}")) {
                throw new dev.followup.InvalidConfigurationException("data key id must be 1 to 32 letters, digits, '.', '_' or '-'");
            }
            if (material == null || material.length != 32) {
                throw new dev.followup.InvalidConfigurationException("data key " + id + " must be 32 bytes (AES-256)");
            }
            material = material.clone();
        }

        /** @return a copy of the key material, so that callers cannot change the key */
        @Override
        public byte[] material() {
            return material.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DataKey k && k.id.equals(id) && java.security.MessageDigest.isEqual(k.material, material);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }

        @Override
        public String toString() {
            return "DataKey[" + id + "]";
        }
    }
}
