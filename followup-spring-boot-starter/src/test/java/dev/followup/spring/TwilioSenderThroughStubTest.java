package dev.followup.spring;

import static dev.followup.spring.TestProperties.basic;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.followup.FollowUpEngine;
import dev.followup.RunSummary;
import dev.followup.conversation.InboundSms;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.test.InMemoryFollowUpStore;
import dev.followup.test.MutableClock;
import dev.followup.test.TwilioSignatures;
import dev.followup.twilio.TwilioWebhooks;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The auto-configured {@link dev.followup.twilio.TwilioSmsSender} against a local stand-in for
 * Twilio's REST API ({@code followup.twilio.api-base-url}): one request per text, from the
 * practice's number, with a status callback under the public base URL carrying the attempt id.
 */
class TwilioSenderThroughStubTest {
    private HttpServer stub;
    private final List<Map<String, String>> sends = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startStub() throws Exception {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        stub.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                paths.add(exchange.getRequestURI().getPath());
                sends.add(Stream.of(body.split("&")).map(p -> p.split("=", 2)).collect(Collectors.toMap(
                        p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8), p -> p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "")));
                byte[] answer = ("{\"sid\":\"SM" + "0".repeat(31) + sends.size() + "\",\"status\":\"queued\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(201, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        });
        stub.start();
    }

    @AfterEach
    void stopStub() {
        stub.stop(0);
    }

    @Test
    void aPracticeAddedByACustomizerTextsAndIsHeardThroughTheDefaultAccount() {
        MutableClock clock = MutableClock.at("2026-03-02T17:00:00Z");
        PracticeId harbor = PracticeId.of("harbor-pt");
        new ApplicationContextRunner().withConfiguration(FollowUpAutoConfigurationTest.ALL).withBean(InMemoryFollowUpStore.class)
                .withBean(Clock.class, () -> clock)
                .withBean(FollowUpEngineCustomizer.class, () -> builder -> builder.practice(Practice.builder(harbor).name("Harbor PT")
                        .callbackPhone("(213) 555-0199").timeZone("America/Chicago").smsFrom("+12135550190").build()))
                .withPropertyValues(basic(TestProperties.TWILIO))
                .withPropertyValues("followup.twilio.api-base-url=http://localhost:" + stub.getAddress().getPort())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    FollowUpEngine engine = context.getBean(FollowUpEngine.class);
                    engine.ingest(harbor, new ByteArrayInputStream(("MRN,First Name,Last Name,Phone,Provider,Follow-Up Type\n"
                            + "M-2,Test,Patient,(213) 555-0177,Dr. Example,annual\n").getBytes(StandardCharsets.UTF_8)), null);
                    assertThat(engine.runDueWork().messagesSent()).isEqualTo(1);
                    assertThat(paths).containsExactly("/2010-04-01/Accounts/" + TestProperties.ACCOUNT_SID + "/Messages.json");
                    assertThat(sends.get(0)).containsEntry("From", "+12135550190");
                    assertThat(sends.get(0).get("StatusCallback")).startsWith("https://followup.example.test/hooks/twilio/status/harbor-pt?");

                    // Its webhooks are checked with the default account's token, found by the path or by the practice's number.
                    TwilioWebhooks webhooks = context.getBean(TwilioWebhooks.class);
                    Map<String, String> form = Map.of("MessageSid", "SM" + "b".repeat(32), "AccountSid", TestProperties.ACCOUNT_SID,
                            "From", "+12135550177", "To", "+12135550190", "Body", "YES");
                    for (String path : List.of("/hooks/twilio/inbound/harbor-pt", "/hooks/twilio/inbound")) {
                        String signature = TwilioSignatures.sign(TestProperties.AUTH_TOKEN, "https://followup.example.test" + path, form);
                        InboundSms inbound = webhooks.inboundSms("http://localhost:8080" + path, multi(form), signature);
                        assertThat(inbound.practiceId()).isEqualTo(harbor);
                    }
                });
    }

    private static Map<String, List<String>> multi(Map<String, String> form) {
        return form.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
    }

    @Test
    void theConfiguredSenderTextsThroughTwilioWithStatusCallbacks() {
        MutableClock clock = MutableClock.at("2026-03-02T17:00:00Z");
        new ApplicationContextRunner().withConfiguration(FollowUpAutoConfigurationTest.ALL).withBean(InMemoryFollowUpStore.class)
                .withBean(Clock.class, () -> clock)
                .withPropertyValues(basic(TestProperties.TWILIO))
                .withPropertyValues("followup.twilio.api-base-url=http://localhost:" + stub.getAddress().getPort())
                .run(context -> {
                    FollowUpEngine engine = context.getBean(FollowUpEngine.class);
                    engine.ingest(PracticeId.of("lakeside"), new ByteArrayInputStream(("MRN,First Name,Last Name,Phone,Provider,Follow-Up Type\n"
                            + "M-1,Sarah,Okafor,(312) 555-0177,Dr. Martinez,annual\n").getBytes(StandardCharsets.UTF_8)), null);
                    RunSummary run = engine.runDueWork();
                    assertThat(run.messagesSent()).isEqualTo(1);
                    assertThat(sends).hasSize(1);
                    assertThat(paths.get(0)).isEqualTo("/2010-04-01/Accounts/" + TestProperties.ACCOUNT_SID + "/Messages.json");
                    Map<String, String> form = sends.get(0);
                    assertThat(form).containsEntry("From", "+13125550190").containsEntry("To", "+13125550177");
                    assertThat(form.get("StatusCallback")).startsWith("https://followup.example.test/hooks/twilio/status/lakeside?attempt=");
                });
    }
}
