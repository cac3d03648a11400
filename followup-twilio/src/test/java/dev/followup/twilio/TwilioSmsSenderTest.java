package dev.followup.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.twilio.http.HttpMethod;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import dev.followup.InvalidConfigurationException;
import dev.followup.InvalidInputException;
import dev.followup.message.DeliveryStatus;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import dev.followup.spi.OutboundSms;
import dev.followup.spi.SendResult;
import dev.followup.spi.SendResult.Outcome;
import dev.followup.twilio.TwilioApiStub.Answer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real Twilio SDK against a local stub of Twilio's REST API. */
class TwilioSmsSenderTest {
    static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    static final String AUTH_TOKEN = "test-auth-token";
    static final String SERVICE_SID = "MG0123456789abcdef0123456789abcdef";
    static final PracticeId P1 = PracticeId.of("p1");
    static final String FROM = "+12015550100";
    static final String PATIENT = "+12015550123";
    static final String BODY = "Hi Sarah, Dr. Martinez recommends a follow-up visit. Reply YES to schedule.";

    private static TwilioApiStub stub;
    private static TwilioSmsSender sender;

    @BeforeAll
    static void startStub() throws IOException {
        stub = new TwilioApiStub();
        sender = senderFor(stub.baseUrl(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stopStub() {
        sender.close();
        stub.close();
    }

    @BeforeEach
    void resetStub() {
        stub.reset();
    }

    static TwilioAccount account() {
        return TwilioAccount.builder(ACCOUNT_SID).authToken(AUTH_TOKEN).phoneNumber(FROM).build();
    }

    static TwilioSmsSender senderFor(String apiBaseUrl, Duration readTimeout) {
        return TwilioSmsSender.builder()
                .account(P1, account())
                .publicBaseUrl("https://hooks.example.com/followup/")
                .apiBaseUrl(apiBaseUrl)
                .connectTimeout(Duration.ofMillis(500))
                .readTimeout(readTimeout)
                .build();
    }

    static OutboundSms sms(String attemptId, String from, Duration validity) {
        return new OutboundSms(attemptId, P1, from, PhoneNumber.ofE164(PATIENT), BODY, validity);
    }

    @Test
    void sendsFromANumberWithCallbackValidityAndTheAccountsCredentials() {
        SendResult result = sender.send(sms("att-1", FROM, Duration.ofHours(2)));

        assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(result.providerMessageId()).startsWith("SM");
        assertThat(result.initialStatus()).isEqualTo(DeliveryStatus.QUEUED);
        assertThat(stub.received()).hasSize(1);
        TwilioApiStub.Received request = stub.received().get(0);
        assertThat(request.path()).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json");
        assertThat(request.form()).containsEntry("To", PATIENT)
                .containsEntry("From", FROM)
                .containsEntry("Body", BODY)
                .containsEntry("StatusCallback", "https://hooks.example.com/followup/twilio/status/p1?attempt=att-1")
                .containsEntry("ValidityPeriod", "7200")
                .doesNotContainKey("MessagingServiceSid");
        assertThat(request.authorization()).isEqualTo(basic(ACCOUNT_SID, AUTH_TOKEN));
    }

    @Test
    void aDefaultAccountSendsForEveryPracticeWithoutOneOfItsOwn() {
        String ownSid = "AC" + "f".repeat(32);
        try (TwilioSmsSender withDefault = TwilioSmsSender.builder().defaultAccount(account())
                .account(PracticeId.of("own"), TwilioAccount.builder(ownSid).authToken("own-token").build())
                .apiBaseUrl(stub.baseUrl()).build()) {
            PracticeId later = PracticeId.of("added-later");
            assertThat(withDefault.send(new OutboundSms("att-d1", later, FROM, PhoneNumber.ofE164(PATIENT), BODY, Duration.ofHours(1)))
                    .outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(withDefault.send(new OutboundSms("att-d2", PracticeId.of("own"), FROM, PhoneNumber.ofE164(PATIENT), BODY,
                    Duration.ofHours(1))).outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(stub.sends()).extracting(TwilioApiStub.Received::path).containsExactly(
                    "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json", "/2010-04-01/Accounts/" + ownSid + "/Messages.json");
            assertThat(withDefault.toString()).contains("defaultAccount=true").doesNotContain(AUTH_TOKEN);
            assertThat(withDefault.sendsFor(later)).isTrue();
        }
        assertThat(sender.sendsFor(PracticeId.of("added-later"))).as("no default account: only its own practices").isFalse();
        assertThatThrownBy(() -> sender.send(new OutboundSms("att-d3", PracticeId.of("added-later"), FROM, PhoneNumber.ofE164(PATIENT),
                BODY, Duration.ofHours(1)))).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("added-later");
        assertThatThrownBy(() -> TwilioSmsSender.builder().build()).isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void sendsThroughAMessagingServiceWhenTheSenderIsAServiceSid() {
        SendResult result = sender.send(sms("att-2", SERVICE_SID, Duration.ofMinutes(30)));

        assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(stub.received()).singleElement().satisfies(request -> assertThat(request.form())
                .containsEntry("MessagingServiceSid", SERVICE_SID)
                .containsEntry("ValidityPeriod", "1800")
                .containsEntry("To", PATIENT)
                .doesNotContainKey("From"));
    }

    @Test
    void clampsTheValidityToTwiliosRangeAndEncodesTheAttemptId() {
        sender.send(sms("att 3/ü", FROM, Duration.ofHours(20)));
        sender.send(sms("att-4", FROM, Duration.ofMillis(300)));

        assertThat(stub.sends().get(0).form()).containsEntry("ValidityPeriod", "36000")
                .containsEntry("StatusCallback", "https://hooks.example.com/followup/twilio/status/p1?attempt=att+3%2F%C3%BC");
        assertThat(stub.sends().get(1).form()).containsEntry("ValidityPeriod", "1");
    }

    @Test
    void withoutAPublicBaseUrlNoStatusCallbackIsSet() {
        try (TwilioSmsSender plain = TwilioSmsSender.builder().account(P1, account()).apiBaseUrl(stub.baseUrl()).build()) {
            assertThat(plain.send(sms("att-5", FROM, Duration.ofHours(1))).outcome()).isEqualTo(Outcome.ACCEPTED);
        }
        assertThat(stub.sends().get(0).form()).doesNotContainKey("StatusCallback");
    }

    @Test
    void sendsWithAnApiKeyInTheAccountsPathAndHonoursRegionAndEdge() {
        String keySid = "SK0123456789abcdef0123456789abcdef";
        TwilioAccount withKey = TwilioAccount.builder(ACCOUNT_SID).apiKey(keySid, "key-secret").authToken(AUTH_TOKEN)
                .region("ie1").edge("dublin").build();
        try (TwilioSmsSender keyed = TwilioSmsSender.builder().account(P1, withKey).apiBaseUrl(stub.baseUrl()).build()) {
            assertThat(keyed.send(sms("att-6", FROM, Duration.ofHours(1))).outcome()).isEqualTo(Outcome.ACCEPTED);
        }
        TwilioApiStub.Received request = stub.sends().get(0);
        assertThat(request.path()).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json");
        assertThat(request.authorization()).isEqualTo(basic(keySid, "key-secret"));
    }

    @Test
    void anOptOutAtTheCarrierIsReportedAsSuch() {
        stub.answerNext(Answer.error(400, 21610));

        SendResult result = sender.send(sms("att-7", FROM, Duration.ofHours(1)));

        assertThat(result.outcome()).isEqualTo(Outcome.RECIPIENT_OPTED_OUT);
        assertThat(result.errorCode()).isEqualTo("21610");
        assertThat(stub.received()).hasSize(1);
    }

    @Test
    void invalidAndUnreachableRecipientsArePermanentFailures() {
        for (int code : new int[] {21211, 21614, 21612, 21408, 21606, 30003, 30006}) {
            stub.reset();
            stub.answerNext(Answer.error(400, code));

            SendResult result = sender.send(sms("att-perm-" + code, FROM, Duration.ofHours(1)));

            assertThat(result.outcome()).as("code %d", code).isEqualTo(Outcome.PERMANENT_FAILURE);
            assertThat(result.errorCode()).isEqualTo(Integer.toString(code));
            assertThat(stub.received()).hasSize(1);
        }
    }

    @Test
    void throttlingIsTransientWithTheRetryAfterHint() {
        stub.answerNext(new Answer(429, "{\"code\":20429,\"message\":\"Too Many Requests\",\"status\":429}", Map.of("Retry-After", "7"), 0));

        SendResult result = sender.send(sms("att-8", FROM, Duration.ofHours(1)));

        assertThat(result.outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
        assertThat(result.errorCode()).isEqualTo("20429");
        assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(stub.received()).hasSize(1);
    }

    @Test
    void aFullSenderQueueIsTransient() {
        stub.answerNext(Answer.error(400, 21611));

        assertThat(sender.send(sms("att-9", FROM, Duration.ofHours(1))).outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
    }

    @Test
    void a503IsUnknownAndReachesTwilioExactlyOnce() {
        stub.answerNext(new Answer(503, "", Map.of(), 0));

        SendResult result = sender.send(sms("att-10", FROM, Duration.ofHours(1)));

        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(stub.received()).hasSize(1);
    }

    @Test
    void a500WithTwiliosErrorBodyIsUnknownAfterOneRequest() {
        stub.answerNext(Answer.error(500, 20500));

        SendResult result = sender.send(sms("att-11", FROM, Duration.ofHours(1)));

        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(result.errorCode()).isEqualTo("20500");
        assertThat(stub.received()).hasSize(1);
    }

    @Test
    void anUnreadableAcceptanceIsUnknownNotAFailure() {
        stub.answerNext(new Answer(201, "not json", Map.of(), 0));

        assertThat(sender.send(sms("att-12", FROM, Duration.ofHours(1))).outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void aReadTimeoutAfterTheRequestWentOutIsUnknown() {
        try (TwilioSmsSender impatient = senderFor(stub.baseUrl(), Duration.ofMillis(300))) {
            stub.answerNext(new Answer(201, "{}", Map.of(), 1_500));

            SendResult result = impatient.send(sms("att-13", FROM, Duration.ofHours(1)));

            assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
            assertThat(result.detail()).contains("SocketTimeoutException");
            assertThat(stub.received()).hasSize(1);
        }
    }

    @Test
    void aRefusedConnectionIsTransientBecauseNothingWasSent() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (TwilioSmsSender unreachable = senderFor("http://localhost:" + closedPort, Duration.ofSeconds(1))) {
            SendResult result = unreachable.send(sms("att-14", FROM, Duration.ofHours(1)));

            assertThat(result.outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
            assertThat(result.detail()).contains("HttpHostConnectException");
        }
    }

    @Test
    void aConnectTimeoutIsTransientBecauseNothingWasSent() throws IOException {
        // A listening socket whose accept queue is full drops new SYNs: the connect times out.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket filler = new Socket();
                    fillers.add(filler);
                    try {
                        filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
                    } catch (IOException queueIsFull) {
                        // expected once the queue is full
                    }
                }
                try (TwilioSmsSender blocked = senderFor("http://localhost:" + full.getLocalPort(), Duration.ofSeconds(5))) {
                    SendResult result = blocked.send(sms("att-21", FROM, Duration.ofHours(1)));

                    assertThat(result.outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
                    assertThat(result.detail()).containsAnyOf("ConnectTimeoutException", "HttpHostConnectException");
                }
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void theSdksOwnClientWouldHaveSentSixPostsForOne503() {
        // Why the sender brings its own HTTP client: the SDK's default one retries a POST on 5xx
        // three times and Apache's client doubles each. If this ever drops to 1, the SDK changed.
        for (int i = 0; i < 10; i++) {
            stub.answerNext(new Answer(503, "", Map.of(), 0));
        }
        Request request = new Request(HttpMethod.POST, stub.baseUrl() + "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json");
        request.addPostParam("Body", "probe");

        new NetworkHttpClient().reliableRequest(request);

        assertThat(stub.received()).hasSize(6);
    }

    @Test
    void refusedCredentialsAreAConfigurationErrorNamingOnlyThePractice() {
        stub.answerNext(Answer.error(401, 20003));

        assertThatThrownBy(() -> sender.send(sms("att-15", FROM, Duration.ofHours(1))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("practice p1")
                .hasMessageNotContaining(AUTH_TOKEN)
                .hasMessageNotContaining(PATIENT);
        assertThat(stub.received()).hasSize(1);
    }

    @Test
    void aSenderThatIsNotTheAccountsIsAConfigurationError() {
        stub.answerNext(Answer.error(400, 21660));

        assertThatThrownBy(() -> sender.send(sms("att-16", FROM, Duration.ofHours(1))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("p1");
    }

    @Test
    void anUnknownPracticeIsAConfigurationErrorAndSendsNothing() {
        OutboundSms other = new OutboundSms("att-17", PracticeId.of("other"), FROM, PhoneNumber.ofE164(PATIENT), BODY, Duration.ofHours(1));

        assertThatThrownBy(() -> sender.send(other)).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("other");
        assertThat(stub.received()).isEmpty();
    }

    @Test
    void noResultOrExceptionShowsTheBodyOrNumbers() {
        stub.answerNext(Answer.error(400, 21211));
        SendResult refused = sender.send(sms("att-18", FROM, Duration.ofHours(1)));
        stub.answerNext(Answer.error(500, 20500));
        SendResult unknown = sender.send(sms("att-19", FROM, Duration.ofHours(1)));

        for (String text : new String[] {refused.toString(), unknown.toString(), sender.toString(), account().toString()}) {
            assertThat(text).doesNotContain("Sarah", PATIENT, "2015550123", AUTH_TOKEN);
        }
    }

    @Test
    void redactsAMessageBodyWithAnEmptyBodyUpdate() {
        String sid = "SM" + "ab".repeat(16);

        assertThat(sender.redact(P1, sid)).isTrue();

        TwilioApiStub.Received request = stub.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages/" + sid + ".json");
        assertThat(request.form()).containsExactly(Map.entry("Body", ""));
    }

    @Test
    void aRefusedRedactionAnswersFalseAfterOneRequest() {
        stub.answerNext(Answer.error(400, 20009));
        assertThat(sender.redact(P1, "SM" + "cd".repeat(16))).isFalse();
        stub.answerNext(new Answer(503, "", Map.of(), 0));
        assertThat(sender.redact(P1, "SM" + "cd".repeat(16))).isFalse();
        assertThat(stub.received()).hasSize(2);
        assertThatThrownBy(() -> sender.redact(P1, "not-a-sid")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void lookupCannotFindAnAttemptAtTwilio() {
        assertThat(sender.lookup(P1, "att-1")).isEmpty();
        assertThat(stub.received()).isEmpty();
    }

    @Test
    void aMalformedMessagingServiceSidIsAConfigurationError() {
        assertThatThrownBy(() -> sender.send(sms("att-20", "MGnot-a-sid", Duration.ofHours(1))))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThat(stub.received()).isEmpty();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.US_ASCII));
    }
}
