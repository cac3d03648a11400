package dev.followup.twilio;

import static dev.followup.twilio.TwilioSmsSenderTest.ACCOUNT_SID;
import static dev.followup.twilio.TwilioSmsSenderTest.AUTH_TOKEN;
import static dev.followup.twilio.TwilioSmsSenderTest.FROM;
import static dev.followup.twilio.TwilioSmsSenderTest.P1;
import static dev.followup.twilio.TwilioSmsSenderTest.PATIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.followup.InvalidInputException;
import dev.followup.conversation.InboundSms;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.DeliveryUpdate;
import dev.followup.practice.PracticeId;
import dev.followup.test.TwilioSignatures;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TwilioWebhooksTest {
    private static final String PUBLIC_BASE = "https://hooks.example.com/followup";
    private static final String INTERNAL_BASE = "http://10.0.0.7:8080";
    private static final Instant NOW = Instant.parse("2026-11-26T15:00:00Z");
    private static final String MESSAGE_SID = "SM" + "0f".repeat(16);

    private final TwilioWebhooks webhooks = TwilioWebhooks.builder()
            .account(P1, TwilioSmsSenderTest.account())
            .publicBaseUrl(PUBLIC_BASE + "/")
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build();

    private static Map<String, String> inboundForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("ToCountry", "US");
        form.put("SmsMessageSid", MESSAGE_SID);
        form.put("NumMedia", "0");
        form.put("SmsSid", MESSAGE_SID);
        form.put("SmsStatus", "received");
        form.put("Body", body);
        form.put("To", FROM);
        form.put("NumSegments", "1");
        form.put("MessageSid", MESSAGE_SID);
        form.put("AccountSid", ACCOUNT_SID);
        form.put("From", PATIENT);
        form.put("ApiVersion", "2010-04-01");
        return form;
    }

    private static Map<String, List<String>> multi(Map<String, String> form) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        form.forEach((name, value) -> multi.put(name, List.of(value)));
        return multi;
    }

    @Test
    void practicesSharingANumberAreWarnedOfAtStartAndTheNumberRoutesNoReply() {
        Logger logger = (Logger) LoggerFactory.getLogger(TwilioWebhooks.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        TwilioWebhooks sharing;
        try {
            sharing = TwilioWebhooks.builder().account(P1, TwilioSmsSenderTest.account())
                    .account(PracticeId.of("p2"), TwilioSmsSenderTest.account()).publicBaseUrl(PUBLIC_BASE + "/")
                    .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("[p1, p2] share an SMS number").doesNotContain(FROM));

        // A webhook URL that names no practice is routed by the number the text was sent to: not a shared one.
        Map<String, String> form = inboundForm("Yes");
        String signature = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE + "/twilio/inbound", form);
        assertThat(webhooks.inboundSms("/twilio/inbound", multi(form), signature).practiceId()).isEqualTo(P1);
        assertThatThrownBy(() -> sharing.inboundSms("/twilio/inbound", multi(form), signature))
                .isInstanceOf(TwilioSignatureException.class).hasMessageContaining("neither its path nor its practice number");
    }

    @Test
    void acceptsTwiliosOwnDocumentedSignatureExample() {
        // Twilio's documented example: auth token 12345, this URL and these parameters.
        TwilioAccount documented = TwilioAccount.builder(ACCOUNT_SID).authToken("12345").build();
        TwilioWebhooks plain = TwilioWebhooks.builder().account(P1, documented).build();
        Map<String, String> params = Map.of(
                "CallSid", "CA1234567890ABCDE",
                "Caller", "+14158675309",
                "Digits", "1234",
                "From", "+14158675309",
                "To", "+18005551212");
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        String documentedSignature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

        assertThatCode(() -> plain.verifySignature(P1, url, multi(params), documentedSignature)).doesNotThrowAnyException();
        assertThat(TwilioSignatures.sign("12345", url, params)).isEqualTo(documentedSignature);
        assertThatThrownBy(() -> plain.verifySignature(P1, url, multi(params), "NOT" + documentedSignature))
                .isInstanceOf(TwilioSignatureException.class);
    }

    @Test
    void parsesASignedInboundMessageReceivedBehindAProxy() {
        Map<String, String> form = inboundForm("Yes please");
        String signature = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE + "/twilio/inbound/p1", form);

        InboundSms sms = webhooks.inboundSms(INTERNAL_BASE + "/twilio/inbound/p1", multi(form), signature);

        assertThat(sms.practiceId()).isEqualTo(P1);
        assertThat(sms.providerMessageId()).isEqualTo(MESSAGE_SID);
        assertThat(sms.from().e164()).isEqualTo(PATIENT);
        assertThat(sms.body()).isEqualTo("Yes please");
        assertThat(sms.receivedAt()).isEqualTo(NOW);
        assertThat(webhooks.publicUrl(INTERNAL_BASE + "/twilio/inbound/p1")).isEqualTo(PUBLIC_BASE + "/twilio/inbound/p1");
        assertThat(webhooks.inboundSms("/twilio/inbound/p1", multi(form), signature).providerMessageId()).isEqualTo(MESSAGE_SID);
    }

    @Test
    void withoutThePublicBaseUrlTheProxiedRequestIsRejected() {
        Map<String, String> form = inboundForm("Yes");
        String signature = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE + "/twilio/inbound/p1", form);
        TwilioWebhooks unaware = TwilioWebhooks.builder().account(P1, TwilioSmsSenderTest.account()).build();

        assertThatThrownBy(() -> unaware.inboundSms(INTERNAL_BASE + "/twilio/inbound/p1", multi(form), signature))
                .isInstanceOf(TwilioSignatureException.class);
    }

    @Test
    void rejectsAMissingWrongOrTamperedSignatureBeforeReadingAnything() {
        Map<String, String> form = inboundForm("Yes");
        String signature = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE + "/twilio/inbound/p1", form);
        Map<String, String> tampered = new LinkedHashMap<>(form);
        tampered.put("Body", "STOP");
        Map<String, String> unparseable = new LinkedHashMap<>(form);
        unparseable.remove("MessageSid");
        unparseable.remove("SmsSid");
        unparseable.put("From", "not a number");
        String url = INTERNAL_BASE + "/twilio/inbound/p1";

        assertThatThrownBy(() -> webhooks.inboundSms(url, multi(form), null)).isInstanceOf(TwilioSignatureException.class)
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> webhooks.inboundSms(url, multi(form), " ")).isInstanceOf(TwilioSignatureException.class);
        assertThatThrownBy(() -> webhooks.inboundSms(url, multi(form), TwilioSignatures.sign("other-token", PUBLIC_BASE + "/twilio/inbound/p1", form)))
                .isInstanceOf(TwilioSignatureException.class);
        assertThatThrownBy(() -> webhooks.inboundSms(url, multi(tampered), signature)).isInstanceOf(TwilioSignatureException.class)
                .hasMessageNotContaining("STOP").hasMessageNotContaining(PATIENT);
        // Rejected for the signature, not for the content it could not have parsed yet.
        assertThatThrownBy(() -> webhooks.inboundSms(url, multi(unparseable), signature)).isInstanceOf(TwilioSignatureException.class);
        assertThat(new TwilioSignatureException("x").httpStatus()).isEqualTo(403);
    }

    @Test
    void routesAnInboundMessageByItsToNumberWhenThePathNamesNoPractice() {
        Map<String, String> form = inboundForm("Yes");
        String signature = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE + "/twilio/inbound", form);

        assertThat(webhooks.inboundSms(INTERNAL_BASE + "/twilio/inbound", multi(form), signature).practiceId()).isEqualTo(P1);

        Map<String, String> elsewhere = new LinkedHashMap<>(form);
        elsewhere.put("To", "+12015550199");
        String otherSignature = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE + "/twilio/inbound", elsewhere);
        assertThatThrownBy(() -> webhooks.inboundSms(INTERNAL_BASE + "/twilio/inbound", multi(elsewhere), otherSignature))
                .isInstanceOf(TwilioSignatureException.class);
    }

    @Test
    void rejectsAnUnknownPracticeAndAnotherAccount() {
        Map<String, String> form = inboundForm("Yes");
        String forUnknown = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE + "/twilio/inbound/p9", form);
        assertThatThrownBy(() -> webhooks.inboundSms(INTERNAL_BASE + "/twilio/inbound/p9", multi(form), forUnknown))
                .isInstanceOf(TwilioSignatureException.class).hasMessageContaining("p9");

        Map<String, String> otherAccount = new LinkedHashMap<>(form);
        otherAccount.put("AccountSid", "AC" + "99".repeat(16));
        String signature = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE + "/twilio/inbound/p1", otherAccount);
        assertThatThrownBy(() -> webhooks.inboundSms(INTERNAL_BASE + "/twilio/inbound/p1", multi(otherAccount), signature))
                .isInstanceOf(TwilioSignatureException.class).hasMessageContaining("another Twilio account");
    }

    @Test
    void aGenuineInboundFromANonPhoneSenderIsInvalidInputWithoutPhi() {
        Map<String, String> form = inboundForm("Yes");
        form.put("From", "whatsapp:" + PATIENT);
        String signature = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE + "/twilio/inbound/p1", form);

        assertThatThrownBy(() -> webhooks.inboundSms(INTERNAL_BASE + "/twilio/inbound/p1", multi(form), signature))
                .isInstanceOf(InvalidInputException.class).hasMessageNotContaining(PATIENT);
    }

    @Test
    void rejectsARepeatedParameter() {
        Map<String, List<String>> form = new LinkedHashMap<>(multi(inboundForm("Yes")));
        form.put("Body", List.of("Yes", "No"));

        assertThatThrownBy(() -> webhooks.inboundSms(INTERNAL_BASE + "/twilio/inbound/p1", form, "sig"))
                .isInstanceOf(TwilioSignatureException.class);
    }

    private static Map<String, String> statusForm(String status, String errorCode) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("SmsSid", MESSAGE_SID);
        form.put("SmsStatus", status);
        form.put("MessageStatus", status);
        form.put("To", PATIENT);
        form.put("MessageSid", MESSAGE_SID);
        form.put("AccountSid", ACCOUNT_SID);
        form.put("From", FROM);
        form.put("ApiVersion", "2010-04-01");
        if (!errorCode.isEmpty()) {
            form.put("ErrorCode", errorCode);
        }
        return form;
    }

    @Test
    void parsesASignedStatusCallbackWithItsAttemptId() {
        Map<String, String> form = statusForm("delivered", "");
        String path = "/twilio/status/p1?attempt=att-42";
        String signature = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE + path, form);

        Optional<DeliveryUpdate> update = webhooks.statusCallback(INTERNAL_BASE + path, multi(form), signature);

        assertThat(update).contains(new DeliveryUpdate(P1, "att-42", MESSAGE_SID, DeliveryStatus.DELIVERED, null, NOW));
    }

    @Test
    void passesTheCarriersErrorCodeThroughAndAcceptsServletStyleMergedParameters() {
        Map<String, String> form = statusForm("undelivered", "30006");
        String path = "/twilio/status/p1?attempt=att-43";
        String signature = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE + path, form);
        Map<String, List<String>> merged = new HashMap<>(multi(form));
        merged.put("attempt", List.of("att-43"));

        DeliveryUpdate update = webhooks.statusCallback(INTERNAL_BASE + path, merged, signature).orElseThrow();

        assertThat(update.status()).isEqualTo(DeliveryStatus.UNDELIVERED);
        assertThat(update.errorCode()).isEqualTo("30006");
        assertThat(update.attemptId()).isEqualTo("att-43");
    }

    @Test
    void anUnknownStatusIsAcknowledgedButYieldsNoUpdate() {
        Map<String, String> form = statusForm("partially_delivered", "");
        String path = "/twilio/status/p1?attempt=att-44";
        String signature = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE + path, form);

        assertThat(webhooks.statusCallback(INTERNAL_BASE + path, multi(form), signature)).isEmpty();
        assertThatThrownBy(() -> webhooks.statusCallback(INTERNAL_BASE + path, multi(form), "bad"))
                .isInstanceOf(TwilioSignatureException.class);
    }

    @Test
    void theCallbackUrlTheSenderSetsIsTheOneTheWebhookValidates() throws IOException {
        try (TwilioApiStub stub = new TwilioApiStub();
                TwilioSmsSender sender = TwilioSmsSender.builder().account(P1, TwilioSmsSenderTest.account())
                        .publicBaseUrl(PUBLIC_BASE).apiBaseUrl(stub.baseUrl()).build()) {
            sender.send(TwilioSmsSenderTest.sms("att 7/ü", FROM, Duration.ofHours(1)));
            String callback = stub.sends().get(0).form().get("StatusCallback");
            Map<String, String> form = statusForm("sent", "");
            String signature = TwilioSignatures.sign(AUTH_TOKEN, callback, form);
            String asSeenInside = INTERNAL_BASE + callback.substring(PUBLIC_BASE.length());

            DeliveryUpdate update = webhooks.statusCallback(asSeenInside, multi(form), signature).orElseThrow();

            assertThat(update.attemptId()).isEqualTo("att 7/ü");
            assertThat(update.status()).isEqualTo(DeliveryStatus.SENT);
        }
    }

    @Test
    void theEmptyTwimlAnswer() {
        assertThat(TwilioWebhooks.EMPTY_TWIML).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>");
        assertThat(TwilioWebhooks.TWIML_CONTENT_TYPE).isEqualTo("text/xml");
        assertThat(TwilioWebhooks.requestUrl(new StringBuilder("http://h/twilio/status/p1"), "attempt=a")).isEqualTo("http://h/twilio/status/p1?attempt=a");
        assertThat(TwilioWebhooks.requestUrl("http://h/twilio/inbound/p1", null)).isEqualTo("http://h/twilio/inbound/p1");
        assertThat(PracticeId.of("p1")).isEqualTo(P1);
    }
}
