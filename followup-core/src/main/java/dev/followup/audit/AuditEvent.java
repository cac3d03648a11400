package dev.followup.audit;

import dev.followup.followup.FollowUpId;
import dev.followup.patient.PatientId;
import dev.followup.practice.PracticeId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An entry of a practice's audit trail. Entries form a hash chain: each one's hash covers its own
 * fields and the previous entry's hash, so a changed, removed or reordered entry breaks the chain
 * from that point on. The head hash can be copied elsewhere (a WORM bucket, a ticket) to detect a
 * rewrite of the whole tail as well.
 *
 * @param practiceId the practice
 * @param sequence position in the practice's trail, from 1, without gaps
 * @param type what happened
 * @param actor who did it
 * @param followUpId the follow-up, if any
 * @param patientId the patient, if any
 * @param attributes ids and codes, sorted
 * @param occurredAt when
 * @param previousHash the previous entry's hash ({@link #GENESIS} for the first)
 * @param hash SHA-256 over the fields above, hex
 */
public record AuditEvent(
        PracticeId practiceId,
        long sequence,
        AuditType type,
        String actor,
        @Nullable FollowUpId followUpId,
        @Nullable PatientId patientId,
        Map<String, String> attributes,
        Instant occurredAt,
        String previousHash,
        String hash) {

    /** The previous hash of a trail's first entry. */
    public static final String GENESIS = "0".repeat(64);

    /**
     * Chains a record onto the trail. Stores call this while holding the practice's trail head, so
     * that sequences have no gaps and no two events share one.
     *
     * @param practiceId the practice
     * @param previous the current head of the trail, or null if it is empty
     * @param record the event to add
     * @return the chained event
     */
    public static AuditEvent chain(PracticeId practiceId, @Nullable AuditEvent previous, AuditRecord record) {
        return previous == null ? chain(practiceId, 0, GENESIS, record) : chain(practiceId, previous.sequence(), previous.hash(), record);
    }

    /**
     * Chains a record after a trail's head known only by its sequence and hash, which is what a
     * store keeps in its head row: the previous event itself need not be read back.
     *
     * @param practiceId the trail's practice
     * @param previousSequence the head's sequence, 0 for an empty trail
     * @param previousHash the head's hash, {@link #GENESIS} for an empty trail
     * @param record what happened
     * @return the event with sequence {@code previousSequence + 1}
     */
    public static AuditEvent chain(PracticeId practiceId, long previousSequence, String previousHash, AuditRecord record) {
        long sequence = previousSequence + 1;
        String hash = hashOf(practiceId, sequence, record.type(), record.actor(), record.followUpId(), record.patientId(),
                record.attributes(), record.occurredAt(), previousHash);
        return new AuditEvent(practiceId, sequence, record.type(), record.actor(), record.followUpId(), record.patientId(),
                record.attributes(), record.occurredAt(), previousHash, hash);
    }

    /** @return the hash these fields should have; differs from {@link #hash()} if anything was changed */
    public String expectedHash() {
        return hashOf(practiceId, sequence, type, actor, followUpId, patientId, attributes, occurredAt, previousHash);
    }

    private static String hashOf(PracticeId practiceId, long sequence, AuditType type, String actor,
            @Nullable FollowUpId followUpId, @Nullable PatientId patientId, Map<String, String> attributes,
            Instant occurredAt, String previousHash) {
        HashInput input = HashInput.of(practiceId, type, actor, followUpId, patientId, attributes, occurredAt);
        String canonical = input.beforeSequence() + sequence + input.afterSequence() + previousHash;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * What an event's hash covers, for a store that chains events inside its database (where the
     * sequence and the previous hash are known only once the head is locked): the hash is the
     * lower-case hex SHA-256 of the UTF-8 bytes of {@code beforeSequence + sequence +
     * afterSequence + previousHash}, the sequence in decimal.
     *
     * @param beforeSequence the text before the sequence
     * @param afterSequence the text between the sequence and the previous hash
     */
    public record HashInput(String beforeSequence, String afterSequence) {
        /**
         * @param practiceId the trail's practice
         * @param record the event to be chained
         * @return what its hash will cover, but for the sequence and the previous hash
         */
        public static HashInput of(PracticeId practiceId, AuditRecord record) {
            return of(practiceId, record.type(), record.actor(), record.followUpId(), record.patientId(), record.attributes(),
                    record.occurredAt());
        }

        private static HashInput of(PracticeId practiceId, AuditType type, String actor, @Nullable FollowUpId followUpId,
                @Nullable PatientId patientId, Map<String, String> attributes, Instant occurredAt) {
            StringBuilder after = new StringBuilder(256).append('\n')
                    .append(type.name()).append('\n')
                    .append(actor).append('\n')
                    .append(followUpId == null ? "" : followUpId.value()).append('\n')
                    .append(patientId == null ? "" : patientId.value()).append('\n')
                    .append(occurredAt).append('\n');
            new java.util.TreeMap<>(attributes).forEach((k, v) -> after.append(k).append('=').append(v).append('\n'));
            return new HashInput(practiceId.value() + '\n', after.toString());
        }
    }
}
