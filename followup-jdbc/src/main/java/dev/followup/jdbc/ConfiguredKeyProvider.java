package dev.followup.jdbc;

import dev.followup.InvalidConfigurationException;
import dev.followup.spi.KeyProvider;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link KeyProvider} whose keys come from configuration (environment variables, a secrets file,
 * Spring properties): a map of key id to base64-encoded 32-byte key, and the id of the key that new
 * values are written with. Vendors with a KMS implement {@link KeyProvider} over it instead.
 *
 * <p>To rotate: add a new key, make it current, restart; old values stay readable as long as their
 * key stays in the map; run {@link ReEncryptionJob} to move them to the new key, then retire the old
 * one. {@link #toString()} never shows key material.
 */
public final class ConfiguredKeyProvider implements KeyProvider {
    private final DataKey current;
    private final Map<String, DataKey> keys;

    private ConfiguredKeyProvider(DataKey current, Map<String, DataKey> keys) {
        this.current = current;
        this.keys = keys;
    }

    /**
     * @param currentKeyId the id of the key new values are written with
     * @param base64Keys every key still needed to read stored values, by id, each 32 bytes in base64
     * @return the provider
     * @throws InvalidConfigurationException if the current key is missing or a key is not 32 bytes of
     *     base64 (messages name key ids, never key material)
     */
    public static ConfiguredKeyProvider of(String currentKeyId, Map<String, String> base64Keys) {
        if (base64Keys == null || base64Keys.isEmpty()) {
            throw new InvalidConfigurationException("no data keys configured: give at least one key id with a base64-encoded"
                    + " 32-byte key (e.g. from `openssl rand -base64 32`)");
        }
        Map<String, DataKey> keys = new LinkedHashMap<>();
        base64Keys.forEach((id, encoded) -> {
            byte[] material;
            try {
                material = Base64.getDecoder().decode(encoded == null ? "" : encoded.strip());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException("data key '" + id + "' is not valid base64");
            }
            keys.put(id, new DataKey(id, material));
        });
        DataKey current = keys.get(currentKeyId);
        if (current == null) {
            throw new InvalidConfigurationException("the current data key id '" + currentKeyId + "' is not among the configured keys "
                    + keys.keySet());
        }
        return new ConfiguredKeyProvider(current, Map.copyOf(keys));
    }

    @Override
    public DataKey currentKey() {
        return current;
    }

    @Override
    public Optional<DataKey> key(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    /** @return the ids of the configured keys */
    public Set<String> keyIds() {
        return keys.keySet();
    }

    @Override
    public String toString() {
        return "ConfiguredKeyProvider[current=" + current.id() + ", keys=" + keys.keySet() + "]";
    }
}
