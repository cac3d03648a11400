package dev.followup.audit;

import dev.followup.InvalidInputException;

/**
 * The head of a practice's audit trail: the sequence and hash of its last event, or 0 and
 * {@link AuditEvent#GENESIS} while it is empty. A store keeps one beside the events (every append
 * moves it), so that verification notices events removed from the end of the trail, which the hash
 * chain alone cannot: what is left of a chain cut short is still a valid chain.
 *
 * @param sequence the last event's sequence, 0 for an empty trail
 * @param hash the last event's hash, {@link AuditEvent#GENESIS} for an empty trail
 */
public record AuditHead(long sequence, String hash) {

    /** The head of a trail without events. */
    public static final AuditHead EMPTY = new AuditHead(0, AuditEvent.GENESIS);

    /** Refuses a head no trail can have. */
    public AuditHead {
        if (sequence < 0 || hash == null || (sequence == 0 && !AuditEvent.GENESIS.equals(hash))) {
            throw new InvalidInputException("an audit head needs a sequence of at least 0 and a hash (the genesis hash at 0)");
        }
    }

    /**
     * @param event a trail's last event
     * @return the head the trail has with that event last
     */
    public static AuditHead of(AuditEvent event) {
        return new AuditHead(event.sequence(), event.hash());
    }
}
