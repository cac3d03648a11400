package dev.followup.spring.internal;

import dev.followup.InvalidConfigurationException;
import dev.followup.jdbc.ConfiguredKeyProvider;
import dev.followup.spi.KeyProvider;
import dev.followup.spring.FollowUpProperties;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-encryption keys from {@code followup.encryption.*}. Without keys the application does
 * not start, unless throw-away keys are explicitly allowed for a demo; then a warning says plainly
 * that nothing written can be read after a restart.
 */
public final class PropertyKeys {
    private static final Logger LOG = LoggerFactory.getLogger(PropertyKeys.class);
    private static final String EPHEMERAL_ID = "ephemeral";

    private PropertyKeys() {}

    /**
     * @param encryption the encryption properties
     * @return the key provider
     * @throws InvalidConfigurationException if keys are missing or invalid (never showing key material)
     */
    public static KeyProvider of(FollowUpProperties.Encryption encryption) {
        String lookup = encryption.getLookupKey();
        Map<String, String> keys = new LinkedHashMap<>(encryption.getKeys());
        if (keys.isEmpty()) {
            if (!encryption.isAllowEphemeralKeys()) {
                throw new InvalidConfigurationException("no data-encryption keys: set followup.encryption.keys." + lookup
                        + " (the lookup key) and at least one data key, e.g. followup.encryption.keys.k1, each 32 random bytes in base64"
                        + " (openssl rand -base64 32), and followup.encryption.current-key=k1; for a demo only,"
                        + " followup.encryption.allow-ephemeral-keys=true generates throw-away keys");
            }
            LOG.warn("followup.encryption.allow-ephemeral-keys=true: PHI is encrypted with keys generated at start-up and never"
                    + " stored. Nothing written now can be read after a restart. Use this for demos only; configure"
                    + " followup.encryption.keys for anything else.");
            SecureRandom random = new SecureRandom();
            keys.put(EPHEMERAL_ID, randomKey(random));
            keys.put(lookup, randomKey(random));
            return ConfiguredKeyProvider.of(EPHEMERAL_ID, keys);
        }
        if (!keys.containsKey(lookup)) {
            throw new InvalidConfigurationException("followup.encryption.keys." + lookup + " is missing: it keys the phone-number and identity"
                    + " lookups and must never change (followup.encryption.lookup-key names it)");
        }
        String current = encryption.getCurrentKey();
        if (current == null || current.isBlank()) {
            List<String> dataKeys = keys.keySet().stream().filter(id -> !id.equals(lookup)).toList();
            if (dataKeys.size() != 1) {
                throw new InvalidConfigurationException("set followup.encryption.current-key to the id of the key new values are"
                        + " encrypted with (configured: " + keys.keySet() + ")");
            }
            current = dataKeys.get(0);
        }
        if (current.equals(lookup)) {
            throw new InvalidConfigurationException("followup.encryption.current-key must not be the lookup key '" + lookup
                    + "': data keys rotate, the lookup key never does");
        }
        return ConfiguredKeyProvider.of(current.strip(), keys);
    }

    private static String randomKey(SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
