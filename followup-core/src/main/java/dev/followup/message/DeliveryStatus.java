package dev.followup.message;

import java.util.Locale;
import java.util.Optional;

/**
 * A message's delivery status as the provider reports it (Twilio's statuses for SMS; SMTP outcomes
 * map onto the same scale). Statuses only move forward: {@link #rank()} orders them, and a callback
 * whose status ranks at or below the stored one is ignored.
 */
public enum DeliveryStatus {
    /** Accepted by the engine's provider call, waiting in the provider's queue. */
    QUEUED(1, false),
    /** Accepted by a messaging service, not yet queued. */
    ACCEPTED(1, false),
    /** Scheduled for later sending by the provider. */
    SCHEDULED(1, false),
    /** Being handed to the carrier. */
    SENDING(2, false),
    /** Handed to the carrier. */
    SENT(3, false),
    /** The carrier confirmed delivery (may never arrive: timers never wait for it). */
    DELIVERED(4, false),
    /** The carrier could not deliver it. */
    UNDELIVERED(4, true),
    /** The provider could not send it. */
    FAILED(4, true),
    /** Cancelled before sending. */
    CANCELED(4, true),
    /** Read by the recipient (some channels report it). */
    READ(5, false);

    private final int rank;
    private final boolean failure;

    DeliveryStatus(int rank, boolean failure) {
        this.rank = rank;
        this.failure = failure;
    }

    /** @return the position on the forward-only scale */
    public int rank() {
        return rank;
    }

    /** @return whether the message did not reach the patient */
    public boolean isFailure() {
        return failure;
    }

    /**
     * @param current the stored status, or null if none
     * @return whether this status may replace it (statuses never move backwards, and a final
     *     outcome is never replaced by another final outcome)
     */
    public boolean advances(DeliveryStatus current) {
        return current == null || rank > current.rank;
    }

    /**
     * @param providerValue a status as the provider spells it, e.g. {@code delivered}
     * @return the status, if known
     */
    public static Optional<DeliveryStatus> parse(String providerValue) {
        if (providerValue == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(providerValue.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
