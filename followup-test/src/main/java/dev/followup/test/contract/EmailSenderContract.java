package dev.followup.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.patient.EmailAddress;
import dev.followup.practice.PracticeId;
import dev.followup.spi.EmailSender;
import dev.followup.spi.OutboundEmail;
import dev.followup.spi.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link EmailSender} keeps, as JUnit 5 tests. Extend it in the adapter's test
 * module and implement the hooks; the extending class sets up a fresh receiving end for each test
 * (e.g. in a {@code @BeforeEach}) or {@link #delivered()} keeps growing, which the tests allow for.
 *
 * <pre>{@code
 * class MyEmailSenderContractTest extends EmailSenderContract {
 *     protected EmailSender sender() { return mySender; }
 *     protected PracticeId practiceId() { return PRACTICE; }
 *     protected List<ReceivedEmail> delivered() { return readMailboxOfTestServer(); }
 *     protected EmailAddress permanentlyFailingRecipient() { return addressMyTestServerRejects; }
 * }
 * }</pre>
 */
public abstract class EmailSenderContract {
    /** Patient data used by the tests: none of it may appear in a toString or a result. */
    private static final String PATIENT_NAME = "José Muñoz";
    private static final String SUBJECT = "Ñandú — café: José, your follow-up visit · 予約";
    private static final String TEXT = "Hola José Muñoz,\nDr. Martínez recommends a follow-up visit.\nReply STOP to stop emails.";
    private static final String HTML = "<p>Hola José Muñoz,</p><p>Dr. Martínez recommends a follow-up visit.</p>"
            + "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>";

    /** Creates the suite. */
    protected EmailSenderContract() {
        // Hooks are called per test.
    }

    /** @return the sender under test, configured for {@link #practiceId()} */
    protected abstract EmailSender sender();

    /** @return the practice the sender under test is configured for */
    protected abstract PracticeId practiceId();

    /** @return every email the receiving end has got, oldest first (since the test began, or ever) */
    protected abstract List<ReceivedEmail> delivered();

    /**
     * @return an address the sender under test rejects permanently: the test arranges it, e.g. an
     *     in-memory rule, or a test SMTP server answering 550 to RCPT for it
     */
    protected abstract EmailAddress permanentlyFailingRecipient();

    /** @return the From address the emails carry; override if the server accepts only another */
    protected String fromAddress() {
        return "frontdesk@riverside-clinic.example";
    }

    /** @return how long delivery may take to show in {@link #delivered()} after the send returned */
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(5);
    }

    /**
     * @param attemptId the attempt id
     * @param to the recipient
     * @return a test email full of patient data, non-ASCII included
     */
    protected OutboundEmail email(String attemptId, EmailAddress to) {
        return new OutboundEmail(attemptId, practiceId(), fromAddress(), "Riverside Clínica", null, to, SUBJECT, TEXT, HTML);
    }

    /** One accepted send delivers exactly one message, with its Message-ID, both parts and the UTF-8 subject intact. */
    @Test
    public void anAcceptedSendDeliversExactlyOneMessageWithBothPartsAndTheUtf8Subject() {
        int before = delivered().size();
        EmailAddress to = EmailAddress.of("jose.munoz@patients.example");

        SendResult result = sender().send(email(attemptId(), to));

        assertThat(result.outcome()).isEqualTo(SendResult.Outcome.ACCEPTED);
        assertThat(result.providerMessageId()).isNotBlank();
        List<ReceivedEmail> arrived = awaitDelivered(before + 1).subList(before, before + 1);
        ReceivedEmail received = arrived.get(0);
        assertThat(received.messageId()).isEqualTo(result.providerMessageId());
        assertThat(received.to()).containsExactly(to.value());
        assertThat(received.subject()).isEqualTo(SUBJECT);
        assertThat(received.textBody()).contains("Hola José Muñoz,").contains("Reply STOP to stop emails.");
        assertThat(received.htmlBody()).contains("<p>Hola José Muñoz,</p>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>");
        assertThat(delivered()).hasSize(before + 1);
    }

    /** The Message-ID is derived from the attempt id: stable across retries of an attempt, different between attempts. */
    @Test
    public void theMessageIdIsTheSameForTheSameAttemptAndDiffersBetweenAttempts() {
        EmailAddress to = EmailAddress.of("jose.munoz@patients.example");
        String attempt = attemptId();

        SendResult first = sender().send(email(attempt, to));
        SendResult retried = sender().send(email(attempt, to));
        SendResult other = sender().send(email(attemptId(), to));

        assertThat(List.of(first, retried, other)).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(SendResult.Outcome.ACCEPTED);
            // RFC 5322 msg-id: "<" id-left "@" id-right ">".
            assertThat(r.providerMessageId()).matches("<[^<>@\\s]+@[^<>@\\s]+>");
        });
        assertThat(retried.providerMessageId()).isEqualTo(first.providerMessageId());
        assertThat(other.providerMessageId()).isNotEqualTo(first.providerMessageId());
    }

    /** A recipient the server rejects for good is a permanent failure, without patient data, and nothing arrives. */
    @Test
    public void aPermanentlyFailingRecipientYieldsPermanentFailureAndNothingIsDelivered() {
        int before = delivered().size();

        SendResult result = sender().send(email(attemptId(), permanentlyFailingRecipient()));

        assertThat(result.outcome()).isEqualTo(SendResult.Outcome.PERMANENT_FAILURE);
        assertThat(result.providerMessageId()).isNull();
        assertNoPatientData(result.toString(), permanentlyFailingRecipient());
        assertThat(delivered()).hasSize(before);
    }

    /** No toString on the way (email, address, results, sender) shows patient data. */
    @Test
    public void toStringsOfTheEmailAndTheResultsCarryNoPatientData() {
        EmailAddress to = EmailAddress.of("jose.munoz@patients.example");
        OutboundEmail email = email(attemptId(), to);

        SendResult accepted = sender().send(email);
        SendResult rejected = sender().send(email(attemptId(), permanentlyFailingRecipient()));

        assertNoPatientData(email.toString(), to);
        assertNoPatientData(to.toString(), to);
        assertNoPatientData(accepted.toString(), to);
        assertNoPatientData(rejected.toString(), permanentlyFailingRecipient());
        assertNoPatientData(sender().toString(), to);
    }

    /**
     * Sends from eight threads at once are each accepted and delivered exactly once.
     *
     * @throws Exception if a sending thread failed
     */
    @Test
    public void concurrentSendsFromEightThreadsAreEachDeliveredOnce() throws Exception {
        int threads = 8;
        int perThread = 4;
        int before = delivered().size();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<SendResult>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                EmailAddress to = EmailAddress.of("patient" + t + "@patients.example");
                futures.add(pool.submit(() -> {
                    start.await();
                    List<SendResult> results = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        results.add(sender().send(email(attemptId(), to)));
                    }
                    return results;
                }));
            }
            start.countDown();
            List<SendResult> results = new ArrayList<>();
            for (Future<List<SendResult>> f : futures) {
                results.addAll(f.get(60, TimeUnit.SECONDS));
            }

            assertThat(results).hasSize(threads * perThread)
                    .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(SendResult.Outcome.ACCEPTED));
            Set<String> ids = results.stream().map(SendResult::providerMessageId).collect(Collectors.toSet());
            assertThat(ids).hasSize(threads * perThread);
            List<ReceivedEmail> arrived = awaitDelivered(before + threads * perThread);
            List<String> arrivedIds = arrived.subList(before, arrived.size()).stream()
                    .map(ReceivedEmail::messageId).toList();
            assertThat(arrivedIds).hasSize(threads * perThread);
            assertThat(new HashSet<>(arrivedIds)).isEqualTo(ids);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Waits until at least the given number of emails arrived, then returns them all.
     *
     * @param count how many to wait for
     * @return every delivered email
     */
    protected final List<ReceivedEmail> awaitDelivered(int count) {
        long deadline = System.nanoTime() + deliveryTimeout().toNanos();
        List<ReceivedEmail> now = delivered();
        while (now.size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = delivered();
        }
        assertThat(now).as("delivered emails").hasSizeGreaterThanOrEqualTo(count);
        return now;
    }

    private static String attemptId() {
        return "contract-" + UUID.randomUUID();
    }

    private static void assertNoPatientData(String text, EmailAddress to) {
        Function<String, String> localPart = a -> a.substring(0, a.indexOf('@'));
        assertThat(text)
                .doesNotContain(to.value())
                .doesNotContain(localPart.apply(to.value()))
                .doesNotContain(PATIENT_NAME)
                .doesNotContain("José")
                .doesNotContain("Ñandú")
                .doesNotContain("follow-up visit");
    }
}
