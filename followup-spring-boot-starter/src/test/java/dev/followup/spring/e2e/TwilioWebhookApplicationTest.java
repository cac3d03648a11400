package dev.followup.spring.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.followup.FollowUpEngine;
import dev.followup.followup.FollowUpState;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import dev.followup.spi.OutboundSms;
import dev.followup.test.InMemoryScheduling;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.TwilioSignatures;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The whole application on a random port with the embedded H2 database: a patient's YES posted as
 * Twilio would post it (signed, through a real HTTP client) is answered with open slots, the chosen
 * slot is booked; a request with a wrong signature is refused with 403 and changes nothing.
 */
@SpringBootTest(classes = WebhookTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:followup-e2e;DB_CLOSE_DELAY=-1",
        "followup.practices[0].id=lakeside",
        "followup.practices[0].name=Lakeside Family Medicine",
        "followup.practices[0].callback-phone=(312) 555-0199",
        "followup.practices[0].time-zone=America/Chicago",
        "followup.practices[0].sms-from=+13125550190",
        "followup.encryption.keys.k1=AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
        "followup.encryption.keys.lookup=AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=",
        "followup.encryption.current-key=k1",
        "followup.twilio.account-sid=" + TwilioWebhookApplicationTest.ACCOUNT_SID,
        "followup.twilio.auth-token=" + TwilioWebhookApplicationTest.AUTH_TOKEN,
        "followup.twilio.public-base-url=https://followup.example.test/hooks",
        "followup.twilio.webhook-path-prefix=/hooks",
        "followup.engine.poll-interval=100ms",
        "management.endpoints.web.exposure.include=health",
        "management.endpoint.health.show-details=always"})
class TwilioWebhookApplicationTest {
    static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    static final String AUTH_TOKEN = "e2e-auth-token-0123456789";
    private static final PracticeId PRACTICE = PracticeId.of("lakeside");
    private static final String PATIENT = "+13125550177";

    @LocalServerPort
    int port;
    @Autowired
    FollowUpEngine engine;
    @Autowired
    InMemorySmsSender sms;
    @Autowired
    InMemoryScheduling scheduling;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aSignedYesIsAnsweredWithSlotsAndAWronglySignedRequestIsRefusedAndChangesNothing() throws Exception {
        engine.ingest(PRACTICE, new ByteArrayInputStream(("MRN,First Name,Last Name,Phone,Provider,Follow-Up Type\n"
                + "M-1,Sarah,Okafor,(312) 555-0177,Dr. Martinez,annual\n").getBytes(StandardCharsets.UTF_8)), null);
        PhoneNumber patient = PhoneNumber.ofE164(PATIENT);
        // The scheduler takes the first step on its own, within a poll interval.
        await().atMost(Duration.ofSeconds(20)).until(() -> sms.sentTo(patient).size() == 1);
        assertThat(sms.sentTo(patient).get(0).body()).contains("Reply YES");

        HttpResponse<String> yes = post("/hooks/twilio/inbound/lakeside", inbound("SM-yes-1", "Yes please"), true);
        assertThat(yes.statusCode()).isEqualTo(200);
        assertThat(yes.headers().firstValue("Content-Type")).get().asString().startsWith("text/xml");
        assertThat(yes.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>");
        List<OutboundSms> afterYes = sms.sentTo(patient);
        assertThat(afterYes).hasSize(2);
        assertThat(afterYes.get(1).body()).contains("1)").contains("2)");
        assertThat(afterYes.get(1).from()).isEqualTo("+13125550190");

        // The same choice, wrongly signed: 403, and nothing is read, applied or stored.
        int auditBefore = jdbc.queryForObject("SELECT COUNT(*) FROM followup_audit_event", Integer.class);
        int inboundBefore = jdbc.queryForObject("SELECT COUNT(*) FROM followup_inbound_message", Integer.class);
        HttpResponse<String> forged = post("/hooks/twilio/inbound/lakeside", inbound("SM-forged", "1"), false);
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<String> unsigned = postWithSignature("/hooks/twilio/inbound/lakeside", inbound("SM-unsigned", "1"), null);
        assertThat(unsigned.statusCode()).isEqualTo(403);
        Map<String, String> huge = new java.util.HashMap<>(inbound("SM-huge", "1"));
        huge.put("Padding", "x".repeat(300_000));
        assertThat(post("/hooks/twilio/inbound/lakeside", huge, true).statusCode()).isEqualTo(413);
        assertThat(sms.sentTo(patient)).hasSize(2);
        assertThat(scheduling.bookingCount()).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM followup_audit_event", Integer.class)).isEqualTo(auditBefore);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM followup_inbound_message", Integer.class)).isEqualTo(inboundBefore);
        assertThat(state()).isEqualTo(FollowUpState.ENGAGED);

        // Correctly signed, the choice books the slot and confirms it.
        HttpResponse<String> choice = post("/hooks/twilio/inbound/lakeside", inbound("SM-choice-1", "1"), true);
        assertThat(choice.statusCode()).isEqualTo(200);
        assertThat(scheduling.bookingCount()).isEqualTo(1);
        assertThat(state()).isEqualTo(FollowUpState.BOOKED);
        assertThat(sms.sentTo(patient)).hasSize(3);

        // A status callback: signed with the attempt id in its URL, as the Twilio sender sets it.
        String attemptId = sms.sentTo(patient).get(2).attemptId();
        Map<String, String> status = Map.of("MessageSid", "SM" + "a".repeat(32), "MessageStatus", "delivered", "AccountSid", ACCOUNT_SID,
                "From", "+13125550190", "To", PATIENT);
        assertThat(post("/hooks/twilio/status/lakeside?attempt=" + attemptId, status, true).statusCode()).isEqualTo(204);
        assertThat(post("/hooks/twilio/status/lakeside?attempt=" + attemptId, status, false).statusCode()).isEqualTo(403);

        // Meters saw it all, tagged by practice and kinds, never by number or text.
        assertThat(meters.get("followup.replies").tag("kind", "yes").tag("practice", "lakeside").counter().count()).isEqualTo(1);
        assertThat(meters.get("followup.replies").tag("kind", "slot_choice").counter().count()).isEqualTo(1);
        assertThat(meters.get("followup.messages").tag("purpose", "slot_offer").tag("state", "sent").counter().count()).isEqualTo(1);
        assertThat(meters.get("followup.messages.delivery").tag("status", "delivered").counter().count()).isEqualTo(1);
        assertThat(meters.get("followup.engine.claim.batch").summary().count()).isPositive();
        meters.getMeters().forEach(m -> m.getId().getTags().forEach(t -> assertThat(t.getValue()).doesNotContain("555")));

        // The actuator's health shows the engine.
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"followup\"").contains("\"store\":\"reachable\"").doesNotContain("555");
    }

    private FollowUpState state() {
        return jdbc.queryForList("SELECT state FROM followup_follow_up", String.class).stream().map(FollowUpState::valueOf)
                .findFirst().orElseThrow();
    }

    private static Map<String, String> inbound(String sid, String body) {
        return Map.of("MessageSid", sid, "AccountSid", ACCOUNT_SID, "From", PATIENT, "To", "+13125550190", "Body", body);
    }

    private HttpResponse<String> post(String pathAndQuery, Map<String, String> form, boolean correctlySigned) throws Exception {
        String signedUrl = "https://followup.example.test" + pathAndQuery;
        String signature = TwilioSignatures.sign(correctlySigned ? AUTH_TOKEN : "not-the-auth-token", signedUrl, form);
        return postWithSignature(pathAndQuery, form, signature);
    }

    private HttpResponse<String> postWithSignature(String pathAndQuery, Map<String, String> form, String signature) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("X-Twilio-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
