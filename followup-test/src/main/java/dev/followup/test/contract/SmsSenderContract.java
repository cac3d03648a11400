package dev.followup.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import dev.followup.spi.OutboundSms;
import dev.followup.spi.SendResult;
import dev.followup.spi.SendResult.Outcome;
import dev.followup.spi.SmsSender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link SmsSender} keeps, as a JUnit 5 suite: extend it in the adapter's tests
 * and implement the hooks against a local stand-in for the provider (a stub HTTP server, an
 * in-memory fake). Each test starts with {@link #resetProvider()}: the provider has received
 * nothing and accepts the next message.
 *
 * <p>What it proves: an accepted send returns the provider's id and reaches the provider exactly
 * once; each failure class maps to its {@link Outcome} after exactly one request (no retry of the
 * adapter's own); nothing of the message shows in {@code toString()}; concurrent sends each reach
 * the provider once.
 */
public abstract class SmsSenderContract {
    /** A body no adapter may show anywhere, built so that it is easy to search for. */
    private static final String SECRET_BODY = "Hi Sarah, Dr. Martinez recommends a follow-up visit for your knee";
    private static final String PATIENT_NUMBER = "+12015550123";

    /** Creates the suite. */
    protected SmsSenderContract() {
    }

    /**
     * What reached the provider in one request, as the provider read it.
     *
     * @param to the recipient's number in E.164 form
     * @param body the text
     */
    public record ReceivedSms(String to, String body) {
        @Override
        public String toString() {
            return "ReceivedSms[redacted]";
        }
    }

    /** @return the sender under test, talking to the provider stand-in */
    protected abstract SmsSender sender();

    /**
     * @return every request that reached the provider since the last {@link #resetProvider()},
     *     including the refused ones, in arrival order
     */
    protected abstract List<ReceivedSms> received();

    /** Forgets what reached the provider and any scripted answer; the provider accepts again. */
    protected abstract void resetProvider();

    /** Makes the provider answer the next request with "recipient opted out" (Twilio: 21610). */
    protected abstract void nextAnswerOptedOut();

    /** Makes the provider answer the next request with "invalid recipient" (Twilio: 21211). */
    protected abstract void nextAnswerInvalidNumber();

    /** Makes the provider answer the next request with "throttled, not processed" (HTTP 429). */
    protected abstract void nextAnswerThrottled();

    /** Makes the provider answer the next request with a server error (HTTP 5xx). */
    protected abstract void nextAnswerServerError();

    /** @return the practice the sender is configured for */
    protected PracticeId practiceId() {
        return PracticeId.of("contract-practice");
    }

    /** @return the sender id the practice sends from (a number, or a messaging-service id) */
    protected String from() {
        return "+12015550100";
    }

    /**
     * Builds a message of the practice with a distinct attempt id.
     *
     * @param attemptId the attempt id
     * @param body the text
     * @return the message
     */
    protected OutboundSms message(String attemptId, String body) {
        return new OutboundSms(attemptId, practiceId(), from(), PhoneNumber.ofE164(PATIENT_NUMBER), body, Duration.ofHours(2));
    }

    @BeforeEach
    void startFromAnEmptyProvider() {
        resetProvider();
    }

    @Test
    void anAcceptedSendReturnsTheProvidersIdAndReachesItOnce() {
        SendResult result = sender().send(message("contract-accepted", SECRET_BODY));

        assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(result.providerMessageId()).isNotBlank();
        assertThat(received()).hasSize(1);
        assertThat(received().get(0).to()).isEqualTo(PATIENT_NUMBER);
        assertThat(received().get(0).body()).isEqualTo(SECRET_BODY);
    }

    @Test
    void anOptOutAtTheProviderIsReportedAfterOneRequest() {
        nextAnswerOptedOut();

        SendResult result = sender().send(message("contract-opted-out", SECRET_BODY));

        assertThat(result.outcome()).isEqualTo(Outcome.RECIPIENT_OPTED_OUT);
        assertThat(result.providerMessageId()).isNull();
        assertThat(received()).hasSize(1);
    }

    @Test
    void anInvalidNumberIsAPermanentFailureAfterOneRequest() {
        nextAnswerInvalidNumber();

        SendResult result = sender().send(message("contract-invalid", SECRET_BODY));

        assertThat(result.outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
        assertThat(received()).hasSize(1);
    }

    @Test
    void throttlingIsATransientFailureAfterOneRequest() {
        nextAnswerThrottled();

        SendResult result = sender().send(message("contract-throttled", SECRET_BODY));

        assertThat(result.outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
        assertThat(received()).hasSize(1);
    }

    @Test
    void aServerErrorIsUnknownAfterOneRequestBecauseItMayHaveBeenSent() {
        nextAnswerServerError();

        SendResult result = sender().send(message("contract-server-error", SECRET_BODY));

        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(received()).hasSize(1);
    }

    @Test
    void nothingOfTheMessageShowsInToString() {
        List<SendResult> results = new ArrayList<>();
        results.add(sender().send(message("contract-tostring-1", SECRET_BODY)));
        nextAnswerInvalidNumber();
        results.add(sender().send(message("contract-tostring-2", SECRET_BODY)));
        nextAnswerServerError();
        results.add(sender().send(message("contract-tostring-3", SECRET_BODY)));

        List<String> shown = new ArrayList<>();
        shown.add(sender().toString());
        shown.add(message("contract-tostring-4", SECRET_BODY).toString());
        results.forEach(result -> shown.add(result.toString()));
        for (String text : shown) {
            assertThat(text).doesNotContain("Sarah", "knee", PATIENT_NUMBER, PATIENT_NUMBER.substring(2));
        }
    }

    @Test
    void eightConcurrentSendsEachReachTheProviderOnce() throws Exception {
        int senders = 8;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<SendResult>> futures = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                String body = "concurrent message " + i;
                String attempt = "contract-concurrent-" + i;
                Callable<SendResult> send = () -> {
                    start.await();
                    return sender().send(message(attempt, body));
                };
                futures.add(pool.submit(send));
            }
            start.countDown();
            List<String> ids = new ArrayList<>();
            for (Future<SendResult> future : futures) {
                SendResult result = future.get(30, TimeUnit.SECONDS);
                assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED);
                ids.add(result.providerMessageId());
            }
            assertThat(ids).doesNotHaveDuplicates();
            assertThat(received()).hasSize(senders);
            List<String> bodies = received().stream().map(ReceivedSms::body).toList();
            for (int i = 0; i < senders; i++) {
                assertThat(bodies).containsOnlyOnce("concurrent message " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
