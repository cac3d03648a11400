package dev.followup.jdbc.internal;

import dev.followup.StorageException;
import dev.followup.spi.KeyProvider;
import dev.followup.spi.KeyProvider.DataKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Encrypts one PHI value for one column of one row with AES-256-GCM (the JDK's cipher).
 *
 * <p>Stored form: {@code [format 0x01][key id length][key id, ASCII][12-byte random IV][ciphertext
 * and 16-byte tag]}. The key id travels inside the value so that every value can be decrypted on
 * its own after a rotation. The additional authenticated data names the table, column, practice and
 * row: a ciphertext copied into another row, column or practice fails authentication instead of
 * showing one patient's data as another's.
 */
public final class FieldCipher {
    private static final byte FORMAT = 0x01;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    /**
     * One cipher object per thread, initialised anew for every value. Getting a cipher walks the
     * provider list, and a fresh one computes the AES key schedule again, which together cost about
     * as much as sealing a short value; a reused one keeps the last key's schedule. Cipher objects
     * are not thread-safe, hence one per thread.
     */
    private static final ThreadLocal<Cipher> AES_GCM = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new StorageException("AES/GCM is unavailable on this JVM (" + e.getClass().getSimpleName() + ")");
        }
    });

    private final KeyProvider keys;
    private final SecureRandom random = new SecureRandom();

    /** @param keys where data keys come from */
    public FieldCipher(KeyProvider keys) {
        this.keys = keys;
    }

    /**
     * The key a row is written under. A row takes it once and seals all its values with it through
     * {@link #encrypt(String, Place, DataKey)}, so that the row's {@code key_id} names the key of
     * every value even if the provider rotates between two of them: {@code ReEncryptionJob} finds the
     * rows to rewrite by {@code key_id}, and would never rewrite a value whose row names a newer key.
     *
     * @return the key new values are written under
     */
    public DataKey currentKey() {
        return keys.currentKey();
    }

    /**
     * @param plaintext the value, or null
     * @param place where it is stored (the AAD)
     * @param key the key of the value's row, from {@link #currentKey()}
     * @return the stored form, or null for null
     */
    public byte @Nullable [] encrypt(@Nullable String plaintext, Place place, DataKey key) {
        if (plaintext == null) {
            return null;
        }
        byte[] keyId = key.id().getBytes(StandardCharsets.US_ASCII);
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = AES_GCM.get();
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.material(), "AES"), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(place.aad());
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(2 + keyId.length + IV_BYTES + sealed.length)
                    .put(FORMAT).put((byte) keyId.length).put(keyId).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new StorageException("cannot encrypt " + place.describe() + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * @param stored a stored form, or null
     * @param place where it was read from (must be where it was written)
     * @return the plaintext, or null for null
     * @throws StorageException if the key is unavailable or the value fails authentication
     */
    public @Nullable String decrypt(byte @Nullable [] stored, Place place) {
        if (stored == null) {
            return null;
        }
        String keyId = keyIdOf(stored, place);
        DataKey key = keys.key(keyId).orElseThrow(() -> new StorageException("cannot decrypt " + place.describe()
                + ": data key '" + keyId + "' is not available from the KeyProvider"));
        int offset = 2 + stored[1];
        try {
            Cipher cipher = AES_GCM.get();
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.material(), "AES"),
                    new GCMParameterSpec(TAG_BITS, stored, offset, IV_BYTES));
            cipher.updateAAD(place.aad());
            byte[] plain = cipher.doFinal(stored, offset + IV_BYTES, stored.length - offset - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new StorageException("cannot decrypt " + place.describe() + " under key '" + keyId
                    + "': the value fails authentication (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * @param stored a stored form
     * @param place where it was read from, for the error message
     * @return the id of the key it was written under
     */
    public static String keyIdOf(byte[] stored, Place place) {
        if (stored.length < 2 + IV_BYTES + TAG_BITS / 8 || stored[0] != FORMAT || stored[1] <= 0
                || stored.length < 2 + stored[1] + IV_BYTES + TAG_BITS / 8) {
            throw new StorageException("cannot decrypt " + place.describe() + ": not a value this store wrote");
        }
        return new String(stored, 2, stored[1], StandardCharsets.US_ASCII);
    }

    /**
     * Where a value lives; bound into its ciphertext.
     *
     * @param table the table
     * @param column the column
     * @param practiceId the practice
     * @param rowId the row's id within the practice
     */
    public record Place(String table, String column, String practiceId, String rowId) {
        byte[] aad() {
            return ("followup/v1\n" + table + "\n" + column + "\n" + practiceId + "\n" + rowId).getBytes(StandardCharsets.UTF_8);
        }

        String describe() {
            // Ids only: practice and row ids are never PHI.
            return table + "." + column + " of row " + rowId + " (practice " + practiceId + ")";
        }
    }
}
