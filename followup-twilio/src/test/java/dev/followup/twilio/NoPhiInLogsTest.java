package dev.followup.twilio;

import static dev.followup.twilio.TwilioSmsSenderTest.AUTH_TOKEN;
import static dev.followup.twilio.TwilioSmsSenderTest.FROM;
import static dev.followup.twilio.TwilioSmsSenderTest.P1;
import static dev.followup.twilio.TwilioSmsSenderTest.PATIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.followup.test.TwilioSignatures;
import dev.followup.twilio.TwilioApiStub.Answer;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Sends, failures, redactions and webhooks with DEBUG on for this library and the Twilio SDK: nothing logged shows PHI. */
class NoPhiInLogsTest {
    @Test
    void nothingLoggedShowsABodyANumberOrASecret() throws IOException {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("dev.followup");
        Logger sdk = (Logger) LoggerFactory.getLogger("com.twilio");
        Level oursBefore = ours.getLevel();
        Level sdkBefore = sdk.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        ours.setLevel(Level.DEBUG);
        sdk.setLevel(Level.DEBUG);
        try (TwilioApiStub stub = new TwilioApiStub();
                TwilioSmsSender sender = TwilioSmsSender.builder().account(P1, TwilioSmsSenderTest.account())
                        .publicBaseUrl("https://hooks.example.com").apiBaseUrl(stub.baseUrl()).readTimeout(Duration.ofMillis(300)).build()) {
            sender.send(TwilioSmsSenderTest.sms("att-1", FROM, Duration.ofHours(1)));
            stub.answerNext(Answer.error(400, 21211));
            sender.send(TwilioSmsSenderTest.sms("att-2", FROM, Duration.ofHours(1)));
            stub.answerNext(new Answer(201, "{}", Map.of(), 1_000));
            sender.send(TwilioSmsSenderTest.sms("att-3", FROM, Duration.ofHours(1)));
            stub.answerNext(Answer.error(401, 20003));
            assertThatThrownBy(() -> sender.send(TwilioSmsSenderTest.sms("att-4", FROM, Duration.ofHours(1))));
            sender.redact(P1, "SM" + "aa".repeat(16));

            TwilioWebhooks webhooks = TwilioWebhooks.builder().account(P1, TwilioSmsSenderTest.account()).publicBaseUrl("https://hooks.example.com").build();
            Map<String, String> form = new LinkedHashMap<>();
            form.put("MessageSid", "SM" + "bb".repeat(16));
            form.put("From", PATIENT);
            form.put("To", FROM);
            form.put("Body", TwilioSmsSenderTest.BODY);
            Map<String, List<String>> multi = new LinkedHashMap<>();
            form.forEach((name, value) -> multi.put(name, List.of(value)));
            webhooks.inboundSms("/twilio/inbound/p1", multi, TwilioSignatures.sign(AUTH_TOKEN, "https://hooks.example.com/twilio/inbound/p1", form));
            assertThatThrownBy(() -> webhooks.inboundSms("/twilio/inbound/p1", multi, "forged"));
        } finally {
            root.detachAppender(appender);
            ours.setLevel(oursBefore);
            sdk.setLevel(sdkBefore);
        }

        assertThat(appender.list).extracting(ILoggingEvent::getLoggerName)
                .anyMatch(name -> name.startsWith("com.twilio"))
                .anyMatch(name -> name.startsWith("dev.followup"));
        for (ILoggingEvent event : appender.list) {
            String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
            assertThat(text).as(event.getLoggerName()).doesNotContain("Sarah", "Martinez", PATIENT, "2015550123", AUTH_TOKEN);
        }
    }
}
