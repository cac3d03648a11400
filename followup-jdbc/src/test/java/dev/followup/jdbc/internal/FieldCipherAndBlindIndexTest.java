package dev.followup.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.StorageException;
import dev.followup.jdbc.ConfiguredKeyProvider;
import dev.followup.jdbc.internal.FieldCipher.Place;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The cipher and the blind index reuse one keyed JCE object per thread: what that must not change. */
class FieldCipherAndBlindIndexTest {
    private static final byte[] LOOKUP = key(9);
    private final FieldCipher cipher = new FieldCipher(ConfiguredKeyProvider.of("k1",
            Map.of("k1", Base64.getEncoder().encodeToString(key(1)), "k2", Base64.getEncoder().encodeToString(key(2)))));
    private final BlindIndex index = new BlindIndex(LOOKUP);

    @Test
    void aValueThatFailsAuthenticationLeavesTheThreadsCipherUsable() {
        Place place = new Place("followup_patient", "first_name", "practice-1", "row-1");
        byte[] sealed = cipher.encrypt("Ada", place, cipher.currentKey());
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> cipher.decrypt(tampered, place)).isInstanceOf(StorageException.class)
                .hasMessageContaining("fails authentication");
        assertThatThrownBy(() -> cipher.decrypt(sealed, new Place("followup_patient", "first_name", "practice-1", "row-2")))
                .isInstanceOf(StorageException.class);
        // The same thread, right after both failures.
        assertThat(cipher.decrypt(sealed, place)).isEqualTo("Ada");
        assertThat(cipher.decrypt(cipher.encrypt("Grace", place, cipher.currentKey()), place)).isEqualTo("Grace");
    }

    @Test
    void valuesSealedUnderOneKeyOpenAfterAnotherKeyWasUsedOnTheSameThread() {
        Place place = new Place("followup_patient", "last_name", "practice-1", "row-1");
        FieldCipher rotated = new FieldCipher(ConfiguredKeyProvider.of("k2",
                Map.of("k1", Base64.getEncoder().encodeToString(key(1)), "k2", Base64.getEncoder().encodeToString(key(2)))));
        byte[] underK1 = cipher.encrypt("Lovelace", place, cipher.currentKey());
        byte[] underK2 = rotated.encrypt("Hopper", place, rotated.currentKey());
        assertThat(FieldCipher.keyIdOf(underK2, place)).isEqualTo("k2");
        // Alternating keys on one thread's cipher object: each init must take the value's own key.
        for (int i = 0; i < 3; i++) {
            assertThat(rotated.decrypt(underK1, place)).isEqualTo("Lovelace");
            assertThat(cipher.decrypt(underK2, place)).isEqualTo("Hopper");
        }
    }

    @Test
    void threadsSealingAndOpeningAtOnceEachGetTheirOwnValuesBack() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Set<String>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                Callable<Set<String>> work = () -> {
                    Set<String> ivs = new HashSet<>();
                    for (int i = 0; i < 2_000; i++) {
                        Place place = new Place("followup_patient", "phone", "practice-" + thread, "row-" + i);
                        String value = "+1415555" + String.format("%04d", i) + "/" + thread;
                        byte[] sealed = cipher.encrypt(value, place, cipher.currentKey());
                        assertThat(cipher.decrypt(sealed, place)).isEqualTo(value);
                        ivs.add(Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(sealed, 4, 16)));
                        assertThat(index.phone(PracticeId.of("practice-1"), PhoneNumber.ofE164("+14155550100")))
                                .isEqualTo("f89d5200cd20dcc3c5d933c230eaaf335e82439c4d8cbffe0a95dbd082ae07ac");
                    }
                    return ivs;
                };
                results.add(pool.submit(work));
            }
            Set<String> allIvs = new HashSet<>();
            for (Future<Set<String>> r : results) {
                allIvs.addAll(r.get());
            }
            assertThat(allIvs).as("a fresh IV for every value").hasSize(4 * 2_000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void blindIndexesAreHmacSha256UnderHkdfSubkeysAsAlwaysSoStoredHashesStayReachable() {
        // Computed independently (Python's hmac module) from the HKDF construction in BlindIndex's Javadoc.
        PracticeId practice = PracticeId.of("practice-1");
        for (int i = 0; i < 3; i++) { // repeated calls reuse the thread's keyed MACs
            assertThat(index.phone(practice, PhoneNumber.ofE164("+14155550100")))
                    .isEqualTo("f89d5200cd20dcc3c5d933c230eaaf335e82439c4d8cbffe0a95dbd082ae07ac");
            assertThat(index.identity(practice, "identity-key-1"))
                    .isEqualTo("723c71762c7677cf7fef44d03b694b814d292ef91ab80ed5405c22b2672854cb");
            assertThat(index.need(practice, "need-key-1"))
                    .isEqualTo("9b460633493aa3169a99f662406e36bd4d8492968651d257c46b3180b115539d");
        }
        assertThat(index.fingerprint()).isEqualTo("491bc4855a3987e2");
    }

    private static byte[] key(int seed) {
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }
}
