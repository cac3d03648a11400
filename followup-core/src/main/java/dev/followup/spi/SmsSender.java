package dev.followup.spi;

import dev.followup.message.DeliveryStatus;
import dev.followup.practice.PracticeId;
import java.util.Optional;

/**
 * Sends text messages through a provider (Twilio, another aggregator, a console sandbox).
 *
 * <p>Contract, checked by the test kit's {@code SmsSenderContract}:
 * <ul>
 *   <li>One call makes at most one attempt at the provider: the adapter switches off every retry
 *       of its own (SDK and HTTP client). The engine decides on retries, after reconciling.</li>
 *   <li>Expected failures are returned as {@link SendResult}s; only a configuration error (bad
 *       credentials, unknown account) is thrown, as {@link dev.followup.InvalidConfigurationException}.</li>
 *   <li>Nothing of the message's body or recipient is logged or put in an exception message.</li>
 * </ul>
 * Implementations are called from several threads at once.
 */
public interface SmsSender {

    /**
     * Sends one message, once.
     *
     * @param sms the message
     * @return the provider's answer
     */
    SendResult send(OutboundSms sms);

    /**
     * Finds out what became of an attempt whose outcome is not known (the engine crashed after
     * calling the provider, or the call timed out). Providers that cannot look a message up by the
     * attempt id return empty, and the engine then treats the attempt as sent: a possible missed
     * text is better than a duplicate one.
     *
     * @param practiceId the practice that sent it
     * @param attemptId the attempt id passed in {@link OutboundSms#attemptId()}
     * @return the provider's message id and status, if the provider knows the attempt
     */
    default Optional<ProviderMessage> lookup(PracticeId practiceId, String attemptId) {
        return Optional.empty();
    }

    /**
     * Asks the provider to erase its copy of a message body (retention): a text the practice sent
     * or one a patient sent to it. Optional: the default does nothing and answers false.
     *
     * <p>The engine's retention job asks once per run for each copy past retention and remembers
     * the answers in the store: true ends the matter for good; false or an exception (other than
     * {@link dev.followup.InvalidConfigurationException}, which pauses the practice's redactions
     * without counting a try) is asked again on a later run, up to the engine's bound. So answer
     * true only when the provider confirmed, and make a repeated request harmless.
     *
     * @param practiceId the practice that sent or received it
     * @param providerMessageId the provider's id of the message
     * @return whether the provider erased the body
     */
    default boolean redact(PracticeId practiceId, String providerMessageId) {
        return false;
    }

    /**
     * A message as the provider knows it.
     *
     * @param providerMessageId the provider's id
     * @param status its current status
     */
    record ProviderMessage(String providerMessageId, DeliveryStatus status) {}
}
