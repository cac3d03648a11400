package dev.followup.test;

import dev.followup.message.DeliveryStatus;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import dev.followup.spi.OutboundSms;
import dev.followup.spi.SendResult;
import dev.followup.spi.SmsSender;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link SmsSender} that keeps every message in memory, for tests. It behaves like a provider
 * that accepts everything unless told otherwise: a test scripts the next answers
 * ({@link #failNextWith(SendResult)}) or marks a number as opted out at the carrier
 * ({@link #optedOutAtCarrier(PhoneNumber)}), the way Twilio answers error 21610.
 *
 * <p>Thread-safe: the engine calls it from several workers at once.
 */
public final class InMemorySmsSender implements SmsSender {
    /** Twilio's code for a recipient who opted out at the carrier; the in-memory provider speaks the same. */
    public static final String OPTED_OUT_CODE = "21610";

    private final Object lock = new Object();
    private final List<OutboundSms> sent = new ArrayList<>();
    private final Deque<SendResult> scripted = new ArrayDeque<>();
    private final Set<String> optedOut = new HashSet<>();
    private final Map<String, SmsSender.ProviderMessage> acceptedByAttempt = new HashMap<>();
    private final Map<String, PracticeId> practiceByProviderId = new HashMap<>();
    private final Set<String> redacted = new LinkedHashSet<>();
    private long nextId = 1;

    /** Creates a sender that has sent nothing and accepts everything. */
    public InMemorySmsSender() {
    }

    /**
     * Records the message and answers: the next scripted result if there is one, an opt-out if
     * the recipient opted out at the carrier, otherwise an acceptance with a fresh id.
     *
     * @param sms the message
     * @return the scripted or default answer
     */
    @Override
    public SendResult send(OutboundSms sms) {
        Objects.requireNonNull(sms, "sms");
        synchronized (lock) {
            sent.add(sms);
            SendResult next = scripted.pollFirst();
            SendResult result;
            if (next != null) {
                result = next;
            } else if (optedOut.contains(sms.to().e164())) {
                result = SendResult.optedOut(OPTED_OUT_CODE);
            } else {
                result = SendResult.accepted(String.format("IM%032d", nextId++), DeliveryStatus.QUEUED);
            }
            if (result.outcome() == SendResult.Outcome.ACCEPTED && result.providerMessageId() != null) {
                DeliveryStatus status = result.initialStatus() == null ? DeliveryStatus.QUEUED : result.initialStatus();
                acceptedByAttempt.put(sms.attemptId(), new SmsSender.ProviderMessage(result.providerMessageId(), status));
                practiceByProviderId.put(result.providerMessageId(), sms.practiceId());
            }
            return result;
        }
    }

    /**
     * Knows every attempt this sender accepted, like a provider that can search by the attempt id.
     *
     * @param practiceId the practice that sent it
     * @param attemptId the attempt id
     * @return the accepted message, if the attempt was accepted for that practice
     */
    @Override
    public Optional<SmsSender.ProviderMessage> lookup(PracticeId practiceId, String attemptId) {
        synchronized (lock) {
            SmsSender.ProviderMessage message = acceptedByAttempt.get(attemptId);
            if (message == null || !practiceId.equals(practiceByProviderId.get(message.providerMessageId()))) {
                return Optional.empty();
            }
            return Optional.of(message);
        }
    }

    /**
     * Marks an accepted message's body as erased.
     *
     * @param practiceId the practice that sent it
     * @param providerMessageId the id this sender gave it
     * @return true if this sender accepted that message for that practice
     */
    @Override
    public boolean redact(PracticeId practiceId, String providerMessageId) {
        synchronized (lock) {
            if (!practiceId.equals(practiceByProviderId.get(providerMessageId))) {
                return false;
            }
            redacted.add(providerMessageId);
            return true;
        }
    }

    /**
     * Makes the next send answer with this result instead of the default (results queue up in
     * the order given). The message is still recorded, as a provider would have received it.
     *
     * @param result the answer to give
     */
    public void failNextWith(SendResult result) {
        Objects.requireNonNull(result, "result");
        synchronized (lock) {
            scripted.addLast(result);
        }
    }

    /**
     * Makes every later send to this number answer "opted out" (code {@value #OPTED_OUT_CODE}),
     * as Twilio does for a patient who texted STOP to the sender.
     *
     * @param number the patient's number
     */
    public void optedOutAtCarrier(PhoneNumber number) {
        Objects.requireNonNull(number, "number");
        synchronized (lock) {
            optedOut.add(number.e164());
        }
    }

    /** @return every message handed to {@link #send}, in order, whatever was answered */
    public List<OutboundSms> sent() {
        synchronized (lock) {
            return List.copyOf(sent);
        }
    }

    /**
     * @param number a patient's number
     * @return every message handed to {@link #send} for that number, in order
     */
    public List<OutboundSms> sentTo(PhoneNumber number) {
        Objects.requireNonNull(number, "number");
        synchronized (lock) {
            return sent.stream().filter(sms -> sms.to().e164().equals(number.e164())).toList();
        }
    }

    /** @return the provider ids of the messages whose bodies were erased, in order */
    public List<String> redacted() {
        synchronized (lock) {
            return List.copyOf(redacted);
        }
    }

    /** Forgets everything: messages, scripted answers, opt-outs and redactions. */
    public void clear() {
        synchronized (lock) {
            sent.clear();
            scripted.clear();
            optedOut.clear();
            acceptedByAttempt.clear();
            practiceByProviderId.clear();
            redacted.clear();
        }
    }

    /** @return a summary with counts only: bodies and numbers are PHI */
    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemorySmsSender[sent=" + sent.size() + ", scripted=" + scripted.size() + "]";
        }
    }
}
