package dev.followup.test;

import dev.followup.message.DeliveryStatus;
import dev.followup.patient.EmailAddress;
import dev.followup.spi.EmailSender;
import dev.followup.spi.OutboundEmail;
import dev.followup.spi.SendResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;

/**
 * An {@link EmailSender} that keeps every email in memory instead of sending it, for tests of code
 * that sends email. Accepts everything unless told otherwise:
 * <ul>
 *   <li>{@link #failNextWith(SendResult)} answers the next call(s) with the given results, in order;</li>
 *   <li>{@link #failAlwaysFor(EmailAddress)} rejects an address permanently, as an SMTP server's 550 would.</li>
 * </ul>
 * A scripted next result wins over an address rule. Accepted emails get a Message-ID derived from
 * the attempt id the way {@code JakartaMailEmailSender} derives it, {@code <attemptId@followup.domain-of-from>}.
 *
 * <p>Thread-safe. Passes {@code EmailSenderContract}.
 */
public final class InMemoryEmailSender implements EmailSender {

    /**
     * One call of {@link #send(OutboundEmail)} and what it answered.
     *
     * @param email the email
     * @param result the answer
     */
    public record Attempt(OutboundEmail email, SendResult result) {
        /** Checks the parts. */
        public Attempt {
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(result, "result");
        }
    }

    private final Object lock = new Object();
    private final List<Attempt> attempts = new ArrayList<>();
    private final Queue<SendResult> scripted = new ArrayDeque<>();
    private final Map<String, SendResult> failingAddresses = new HashMap<>();

    /** Creates a sender that accepts everything. */
    public InMemoryEmailSender() {
        // Nothing scripted yet.
    }

    /**
     * Records the email and answers: the next scripted result, else the rule for its address, else
     * accepted with its Message-ID and status {@link DeliveryStatus#SENT}.
     *
     * @param email the message
     * @return the answer
     */
    @Override
    public SendResult send(OutboundEmail email) {
        Objects.requireNonNull(email, "email");
        synchronized (lock) {
            SendResult result = scripted.poll();
            if (result == null) {
                result = failingAddresses.get(key(email.to()));
            }
            if (result == null) {
                result = SendResult.accepted(messageIdFor(email), DeliveryStatus.SENT);
            }
            attempts.add(new Attempt(email, result));
            return result;
        }
    }

    /**
     * Scripts the answer to the next call; called several times, the answers are given in order.
     * Any result may be scripted, an accepted one included.
     *
     * @param result the answer to give
     * @return this sender
     */
    public InMemoryEmailSender failNextWith(SendResult result) {
        Objects.requireNonNull(result, "result");
        synchronized (lock) {
            scripted.add(result);
        }
        return this;
    }

    /**
     * Rejects every email to the address from now on with a permanent failure, code {@code 550}.
     *
     * @param address the address to reject
     * @return this sender
     */
    public InMemoryEmailSender failAlwaysFor(EmailAddress address) {
        return failAlwaysFor(address, SendResult.permanentFailure("550", "recipient rejected (in-memory script)"));
    }

    /**
     * Answers every email to the address with the given result from now on.
     *
     * @param address the address
     * @param result the answer
     * @return this sender
     */
    public InMemoryEmailSender failAlwaysFor(EmailAddress address, SendResult result) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(result, "result");
        synchronized (lock) {
            failingAddresses.put(key(address), result);
        }
        return this;
    }

    /** @return the emails that were accepted, in the order they were sent */
    public List<OutboundEmail> sent() {
        synchronized (lock) {
            return attempts.stream()
                    .filter(a -> a.result().outcome() == SendResult.Outcome.ACCEPTED)
                    .map(Attempt::email)
                    .toList();
        }
    }

    /** @return every call with its answer, in order, failures included */
    public List<Attempt> attempts() {
        synchronized (lock) {
            return List.copyOf(attempts);
        }
    }

    /** Forgets every recorded email and every script. */
    public void clear() {
        synchronized (lock) {
            attempts.clear();
            scripted.clear();
            failingAddresses.clear();
        }
    }

    /**
     * @param email an email
     * @return the Message-ID this sender gives it when accepted
     */
    public static String messageIdFor(OutboundEmail email) {
        String from = email.from();
        String domain = from.substring(from.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        return "<" + email.attemptId() + "@followup." + (domain.isBlank() ? "localhost" : domain) + ">";
    }

    private static String key(EmailAddress address) {
        return address.value().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemoryEmailSender[" + attempts.size() + " attempts]";
        }
    }
}
