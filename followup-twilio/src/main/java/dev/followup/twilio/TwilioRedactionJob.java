package dev.followup.twilio;

import dev.followup.FollowUpException;
import dev.followup.practice.PracticeId;
import dev.followup.spi.SmsSender;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the provider to erase the bodies of messages older than the retention period (HIPAA:
 * no PHI kept in message logs beyond 30 days by default), for a host that keeps its own list of
 * message SIDs: this job only calls {@link SmsSender#redact} for each and counts, and remembers
 * nothing; trying the ones it reports again is the caller's job. The engine does not need it: its
 * purge ({@code FollowUpEngine.Builder.redactProviderCopies(true)}) keeps the record of the copies
 * still owed in its store and retries them itself. One practice's refused credentials do not stop
 * the others'.
 */
public final class TwilioRedactionJob {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioRedactionJob.class);

    private final SmsSender sender;

    /** @param sender the sender the messages went out through, usually a {@link TwilioSmsSender} */
    public TwilioRedactionJob(SmsSender sender) {
        this.sender = Objects.requireNonNull(sender, "sender");
    }

    /**
     * A message to erase at the provider.
     *
     * @param practiceId the practice that sent it
     * @param providerMessageId the provider's id (Twilio's SID)
     */
    public record MessageRef(PracticeId practiceId, String providerMessageId) {
        /**
         * Checks both parts are present.
         *
         * @param practiceId the practice that sent it
         * @param providerMessageId the provider's id
         */
        public MessageRef {
            Objects.requireNonNull(practiceId, "practiceId");
            Objects.requireNonNull(providerMessageId, "providerMessageId");
        }
    }

    /**
     * What a run did.
     *
     * @param redacted how many bodies the provider erased
     * @param notRedacted the messages it did not erase (refused, not final yet, unreachable, bad id); try them again later
     */
    public record Report(int redacted, List<MessageRef> notRedacted) {
        /**
         * Copies the list.
         *
         * @param redacted how many bodies the provider erased
         * @param notRedacted the messages it did not erase
         */
        public Report {
            notRedacted = List.copyOf(notRedacted);
        }

        /** @return how many messages were not erased */
        public int failed() {
            return notRedacted.size();
        }
    }

    /**
     * Erases each message's body at the provider, one request per message.
     *
     * @param messages the messages past retention
     * @return the counts, and the messages to try again
     */
    public Report run(Collection<MessageRef> messages) {
        Objects.requireNonNull(messages, "messages");
        int redacted = 0;
        List<MessageRef> notRedacted = new ArrayList<>();
        for (MessageRef message : messages) {
            boolean done;
            try {
                done = sender.redact(message.practiceId(), message.providerMessageId());
            } catch (FollowUpException e) {
                LOG.warn("Redaction of message {} of practice {} failed: {}", message.providerMessageId(), message.practiceId(),
                        FollowUpException.loggable(e));
                done = false;
            }
            if (done) {
                redacted++;
            } else {
                notRedacted.add(message);
            }
        }
        LOG.info("Redaction run: {} erased, {} not erased", redacted, notRedacted.size());
        return new Report(redacted, notRedacted);
    }
}
