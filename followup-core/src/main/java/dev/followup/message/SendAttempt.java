package dev.followup.message;

import dev.followup.InvalidInputException;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUpId;
import dev.followup.patient.PatientId;
import dev.followup.practice.PracticeId;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One message the engine sent or tried to send: the message log entry. It is recorded (state
 * {@link AttemptState#PENDING}) before the provider is called, so that a crash can never lead to a
 * second copy. The body is PHI and is purged after the retention period; the rest is the metadata
 * reports and the audit trail need. {@link #toString()} leaves the body out.
 *
 * @param id the attempt's own id, passed to the provider
 * @param practiceId the practice
 * @param followUpId the follow-up it belongs to, if any (a HELP answer to an unknown number has none)
 * @param patientId the patient, if known
 * @param channel SMS or EMAIL
 * @param purpose why it was sent
 * @param step the policy step for outreach, -1 for replies
 * @param attemptNumber 1 for the first try of this step, 2 for a retry after a transient failure
 * @param state where it stands
 * @param deliveryStatus the latest status the provider reported, if any
 * @param providerMessageId the provider's id once known
 * @param errorCode the provider's error code, if it failed
 * @param body the text sent (PHI); null once purged
 * @param segments SMS segments (1 for an email)
 * @param cost what the provider charges for it, in USD
 * @param createdAt when it was recorded
 * @param updatedAt when it last changed
 */
public record SendAttempt(
        String id,
        PracticeId practiceId,
        @Nullable FollowUpId followUpId,
        @Nullable PatientId patientId,
        Channel channel,
        MessagePurpose purpose,
        int step,
        int attemptNumber,
        AttemptState state,
        @Nullable DeliveryStatus deliveryStatus,
        @Nullable String providerMessageId,
        @Nullable String errorCode,
        @Nullable String body,
        int segments,
        BigDecimal cost,
        Instant createdAt,
        Instant updatedAt) {

    /** Validates the attempt. */
    public SendAttempt {
        if (id == null || practiceId == null || channel == null || purpose == null || state == null
                || cost == null || createdAt == null || updatedAt == null) {
            throw new InvalidInputException("send attempt " + id + " is missing a required field");
        }
        if (channel == dev.followup.followup.Channel.STAFF_CALL) {
            throw new InvalidInputException("send attempt " + id + ": staff calls are tasks, not messages");
        }
        if (attemptNumber < 1 || segments < 0) {
            throw new InvalidInputException("send attempt " + id + " has an invalid attempt number or segment count");
        }
    }

    /**
     * @param providerId the provider's id
     * @param status the status the provider answered with
     * @param at when
     * @return this attempt, sent
     */
    public SendAttempt sent(String providerId, @Nullable DeliveryStatus status, Instant at) {
        return new SendAttempt(id, practiceId, followUpId, patientId, channel, purpose, step, attemptNumber,
                AttemptState.SENT, status, providerId, null, body, segments, cost, createdAt, at);
    }

    /**
     * @param code the provider's error code
     * @param at when
     * @return this attempt, failed
     */
    public SendAttempt failed(@Nullable String code, Instant at) {
        return new SendAttempt(id, practiceId, followUpId, patientId, channel, purpose, step, attemptNumber,
                AttemptState.FAILED, deliveryStatus == null ? DeliveryStatus.FAILED : deliveryStatus, providerMessageId,
                code, body, segments, BigDecimal.ZERO, createdAt, at);
    }

    /**
     * @param at when it was given up on
     * @return this attempt, counted as sent though unconfirmed
     */
    public SendAttempt unconfirmed(Instant at) {
        return new SendAttempt(id, practiceId, followUpId, patientId, channel, purpose, step, attemptNumber,
                AttemptState.UNCONFIRMED, deliveryStatus, providerMessageId, errorCode, body, segments, cost, createdAt, at);
    }

    /**
     * @param status a reported status that {@linkplain DeliveryStatus#advances advances} the stored one
     * @param code the provider's error code, if any
     * @param providerId the provider's id (settles an attempt whose id was never stored)
     * @param at when
     * @return this attempt with the status applied
     */
    public SendAttempt withStatus(DeliveryStatus status, @Nullable String code, String providerId, Instant at) {
        AttemptState next = status.isFailure() ? AttemptState.FAILED
                : state == AttemptState.PENDING || state == AttemptState.UNCONFIRMED ? AttemptState.SENT : state;
        return new SendAttempt(id, practiceId, followUpId, patientId, channel, purpose, step, attemptNumber, next,
                status, providerId, code != null ? code : errorCode, body, segments, cost, createdAt, at);
    }

    /**
     * The key that makes a duplicate send impossible: for outreach, one row per follow-up, step and
     * attempt number, whichever node or retry tries to write it; other messages answer one inbound
     * text each (inbound texts are applied once) and are keyed by their own id.
     *
     * @return the unique key stores enforce
     */
    public String dedupeKey() {
        return purpose == MessagePurpose.OUTREACH && followUpId != null
                ? "outreach:" + followUpId.value() + ":" + step + ":" + attemptNumber
                : "attempt:" + id;
    }

    /** @return this attempt without its body (retention) */
    public SendAttempt purged() {
        return new SendAttempt(id, practiceId, followUpId, patientId, channel, purpose, step, attemptNumber, state,
                deliveryStatus, providerMessageId, errorCode, null, segments, cost, createdAt, updatedAt);
    }

    @Override
    public String toString() {
        return "SendAttempt[id=" + id + ", practice=" + practiceId + ", followUp=" + followUpId + ", " + channel + " "
                + purpose + " step " + step + " #" + attemptNumber + ", " + state + "]";
    }
}
