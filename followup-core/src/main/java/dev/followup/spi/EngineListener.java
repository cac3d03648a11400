package dev.followup.spi;

import dev.followup.consent.ConsentSource;
import dev.followup.conversation.InboundResult;
import dev.followup.conversation.ReplyKind;
import dev.followup.followup.Channel;
import dev.followup.message.AttemptState;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.MessagePurpose;
import dev.followup.practice.PracticeId;
import dev.followup.task.TaskKind;
import java.time.Duration;

/**
 * Hears what the engine does, for metrics and monitoring (the Spring Boot starter turns these into
 * Micrometer meters). Every method has a no-op default, so an implementation overrides only what it
 * needs. Register one or more with {@code FollowUpEngine.Builder#listener}.
 *
 * <p>Events carry practice ids and enums only, never PHI, so they can become metric tags as they
 * are. They are called on the engine's own thread, never inside a store transaction: an event about
 * stored work is emitted once its transaction has committed, and not at all if it rolled back, so a
 * retried step is counted once. Keep them fast and never block. An exception a listener throws is
 * logged and ignored; it never changes what the engine does.
 */
public interface EngineListener {
    /** Hears nothing. */
    EngineListener NONE = new EngineListener() {};

    /**
     * A batch of due follow-ups was claimed (only non-empty batches are reported).
     *
     * @param size how many follow-ups the batch held
     */
    default void batchClaimed(int size) {}

    /**
     * A claimed follow-up is being worked on: how late its step is.
     *
     * @param practiceId the practice
     * @param lag the time between the step falling due and the engine taking it up (zero or more)
     */
    default void stepLag(PracticeId practiceId, Duration lag) {}

    /**
     * A provider's answer to a send was recorded (or an unfinished attempt was reconciled).
     *
     * @param practiceId the practice
     * @param channel SMS or email
     * @param purpose why the message was sent
     * @param state the attempt's state now: {@code SENT}, {@code FAILED} or {@code UNCONFIRMED}
     */
    default void messageRecorded(PracticeId practiceId, Channel channel, MessagePurpose purpose, AttemptState state) {}

    /**
     * A provider's delivery status moved a message forward.
     *
     * @param practiceId the practice
     * @param channel the message's channel
     * @param status the new status
     */
    default void deliveryStatusApplied(PracticeId practiceId, Channel channel, DeliveryStatus status) {}

    /**
     * An inbound text was handled.
     *
     * @param practiceId the practice
     * @param kind how it was classified
     * @param action what followed
     */
    default void replyHandled(PracticeId practiceId, ReplyKind kind, InboundResult.Action action) {}

    /**
     * A number or a patient was opted out who was not opted out before.
     *
     * @param practiceId the practice
     * @param source who asked: the patient by text, the carrier, staff, an import
     */
    default void optedOut(PracticeId practiceId, ConsentSource source) {}

    /**
     * A staff task was opened and committed.
     *
     * @param practiceId the practice
     * @param kind what the staff are asked to do
     */
    default void taskOpened(PracticeId practiceId, TaskKind kind) {}
}
