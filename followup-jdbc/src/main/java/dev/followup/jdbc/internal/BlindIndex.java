package dev.followup.jdbc.internal;

import dev.followup.InvalidConfigurationException;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed hashes (HMAC-SHA256) that let the store find rows by a secret value without storing it:
 * a patient by phone number, a patient by identity key, a follow-up by need key.
 *
 * <p>One configured lookup key seeds a separate subkey per purpose through HKDF-SHA256 (RFC 5869),
 * so that a phone hash can never be matched against an identity hash. The practice id is part of
 * every input: the same phone number hashes differently in two practices, so hashes cannot be
 * correlated across tenants. Unkeyed digests of MRNs or phone numbers could be reversed by
 * enumerating the small space of possible values; without the key they cannot.
 *
 * <p>The lookup key must never change: a new key would make every stored hash unreachable.
 */
public final class BlindIndex {
    // One keyed MAC per purpose and thread: getting a Mac walks the provider list and keying it
    // hashes the key pads, each time as costly as the hash itself; doFinal leaves it keyed for reuse.
    private final ThreadLocal<Mac> phoneMac;
    private final ThreadLocal<Mac> identityMac;
    private final ThreadLocal<Mac> needMac;

    /** @param lookupKeyMaterial the configured lookup key (32 bytes) */
    public BlindIndex(byte[] lookupKeyMaterial) {
        byte[] prk = hmac(new byte[32], lookupKeyMaterial);
        byte[] phoneKey = expand(prk, "followup/lookup/phone/v1");
        byte[] identityKey = expand(prk, "followup/lookup/patient-identity/v1");
        byte[] needKey = expand(prk, "followup/lookup/need/v1");
        this.phoneMac = ThreadLocal.withInitial(() -> keyedMac(phoneKey));
        this.identityMac = ThreadLocal.withInitial(() -> keyedMac(identityKey));
        this.needMac = ThreadLocal.withInitial(() -> keyedMac(needKey));
    }

    /** @param practiceId the practice @param phone a number @return its blind index */
    public String phone(PracticeId practiceId, PhoneNumber phone) {
        return hex(phoneMac.get().doFinal(bytes(practiceId.value() + "\n" + phone.e164())));
    }

    /** @param practiceId the practice @param identityKey a patient's identity key @return its blind index */
    public String identity(PracticeId practiceId, String identityKey) {
        return hex(identityMac.get().doFinal(bytes(practiceId.value() + "\n" + identityKey)));
    }

    /** @param practiceId the practice @param needKeyValue a follow-up's need key @return its blind index */
    public String need(PracticeId practiceId, String needKeyValue) {
        return hex(needMac.get().doFinal(bytes(practiceId.value() + "\n" + needKeyValue)));
    }

    /** @return a fingerprint of the lookup key, safe to store, to notice a changed key at start-up */
    public String fingerprint() {
        return hex(phoneMac.get().doFinal(bytes("followup/lookup/fingerprint"))).substring(0, 16);
    }

    private static byte[] expand(byte[] prk, String info) {
        // HKDF-Expand for one 32-byte block: T(1) = HMAC(PRK, info || 0x01).
        byte[] infoBytes = bytes(info);
        byte[] input = new byte[infoBytes.length + 1];
        System.arraycopy(infoBytes, 0, input, 0, infoBytes.length);
        input[infoBytes.length] = 1;
        return hmac(prk, input);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        return keyedMac(key).doFinal(data);
    }

    private static Mac keyedMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new InvalidConfigurationException("HmacSHA256 is unavailable on this JVM", e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
