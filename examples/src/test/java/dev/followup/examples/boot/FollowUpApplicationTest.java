package dev.followup.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.FollowUpEngine;
import dev.followup.test.TwilioSignatures;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The example starts as documented (the test only picks a free port and pauses the scheduler),
 * loads the three sample lists into the embedded database, answers a sandbox-signed YES, and serves
 * the report pages to the demo-only user.
 */
@SpringBootTest(classes = FollowUpApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "followup.engine.scheduler-enabled=false")
class FollowUpApplicationTest {
    @LocalServerPort
    int port;
    @Autowired
    FollowUpEngine engine;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SandboxSmsSender sms;

    @Test
    void startsWithTheSampleListsAndAnswersASignedWebhook() throws Exception {
        assertThat(engine.practices()).extracting(p -> p.id().value()).containsExactlyInAnyOrder("lakeside", "harbor-pt", "northside");
        assertThat(jdbc.queryForList("SELECT DISTINCT practice_id FROM followup_follow_up", String.class))
                .containsExactlyInAnyOrder("lakeside", "harbor-pt", "northside");

        // As in the README: Twilio signs http://localhost:8080/... (the public base URL), whatever port the app has.
        Map<String, String> form = Map.of("AccountSid", "AC00000000000000000000000000000000", "Body", "YES", "From", "+13125550101",
                "MessageSid", "SM00000000000000000000000000000001", "To", "+13125550190");
        String signature = TwilioSignatures.sign("sandbox-auth-token", "http://localhost:8080/twilio/inbound/lakeside", form);
        int before = sms.acceptedCount();
        HttpResponse<String> answer = post("/twilio/inbound/lakeside", form, signature);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("<Response></Response>");
        assertThat(sms.acceptedCount()).as("the slot offer went to the sandbox").isEqualTo(before + 1);

        assertThat(post("/twilio/inbound/lakeside", form, "d3Jvbmc=").statusCode()).isEqualTo(403);

        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).contains("\"followup\"").contains("\"status\":\"UP\"");

        // The report pages, open to the demo-only user (DemoWebAccess), for the example's practices only.
        HttpResponse<String> report = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/followup/practices/lakeside/report")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("Lakeside Family Medicine");
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/followup/practices/elsewhere/tasks"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> post(String path, Map<String, String> form, String signature) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
