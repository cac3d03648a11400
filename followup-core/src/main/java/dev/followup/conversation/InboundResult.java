package dev.followup.conversation;

import dev.followup.followup.FollowUpId;
import dev.followup.patient.PatientId;
import org.jspecify.annotations.Nullable;

/**
 * What the engine did with an inbound text.
 *
 * @param kind how the text was classified
 * @param action what followed
 * @param patientId the patient it was matched to, if any
 * @param followUpId the follow-up it was applied to, if any
 */
public record InboundResult(ReplyKind kind, Action action, @Nullable PatientId patientId, @Nullable FollowUpId followUpId) {

    /**
     * @param other what followed instead
     * @return this result with {@code other} as its action
     */
    public InboundResult with(Action other) {
        return new InboundResult(kind, other, patientId, followUpId);
    }

    /** What followed a text. */
    public enum Action {
        /** The same provider message id was handled before: nothing was done again. */
        DUPLICATE,
        /** Opted out of every channel. */
        OPTED_OUT,
        /** Opted back in. */
        OPTED_IN,
        /** Answered with the practice's name and phone. */
        HELP_SENT,
        /** Slots were offered. */
        SLOTS_OFFERED,
        /** An appointment was booked. */
        BOOKED,
        /** The follow-up was declined. */
        DECLINED,
        /** A staff task was opened for a person to answer. */
        TASK_OPENED,
        /** Recorded only: the sender is opted out, or unknown and the text needs no answer. */
        RECORDED
    }
}
