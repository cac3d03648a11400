package dev.followup.conversation;

import dev.followup.followup.FollowUpId;
import dev.followup.patient.PatientId;
import dev.followup.practice.PracticeId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The message-log entry of a text a patient sent. Storing it is also how a repeated webhook is
 * recognised: a second entry with the same provider id is refused. The body is PHI, purged after
 * the retention period; {@link #toString()} leaves it out.
 *
 * @param practiceId the practice
 * @param providerMessageId the provider's id, unique per practice
 * @param patientId the patient it was matched to, if any
 * @param followUpId the follow-up it was applied to, if any
 * @param kind how it was classified
 * @param body the text (PHI); null once purged
 * @param receivedAt when it arrived
 */
public record InboundMessage(
        PracticeId practiceId,
        String providerMessageId,
        @Nullable PatientId patientId,
        @Nullable FollowUpId followUpId,
        ReplyKind kind,
        @Nullable String body,
        Instant receivedAt) {

    /** @return this entry without its body */
    public InboundMessage purged() {
        return new InboundMessage(practiceId, providerMessageId, patientId, followUpId, kind, null, receivedAt);
    }

    @Override
    public String toString() {
        return "InboundMessage[practice=" + practiceId + ", id=" + providerMessageId + ", " + kind + "]";
    }
}
