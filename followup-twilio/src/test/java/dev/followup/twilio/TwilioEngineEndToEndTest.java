package dev.followup.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.FollowUpEngine;
import dev.followup.conversation.InboundResult;
import dev.followup.conversation.InboundSms;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpState;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.DeliveryUpdate;
import dev.followup.message.SendRate;
import dev.followup.practice.BusinessCalendar;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.practice.SendWindow;
import dev.followup.test.InMemoryFollowUpStore;
import dev.followup.test.InMemoryScheduling;
import dev.followup.test.MutableClock;
import dev.followup.test.TwilioSignatures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine sending through the real Twilio SDK to a local stub of Twilio's API, and patients'
 * replies arriving as signed webhooks: the whole SMS loop as it runs in production.
 */
class TwilioEngineEndToEndTest {
    private static final String ACCOUNT_SID = TwilioSmsSenderTest.ACCOUNT_SID;
    private static final String AUTH_TOKEN = TwilioSmsSenderTest.AUTH_TOKEN;
    private static final String PUBLIC_BASE = "https://hooks.example.com/followup";
    private static final PracticeId P1 = TwilioSmsSenderTest.P1;
    private static final String FROM = TwilioSmsSenderTest.FROM;
    private static final AtomicInteger SIDS = new AtomicInteger(1000);
    /** The stub numbers the messages it accepts from 1. */
    private static final String FIRST_SID_THE_STUB_GIVES = String.format("SM%032x", 1);
    private TwilioApiStub stub;
    private TwilioSmsSender sender;

    @BeforeEach
    void start() throws IOException {
        stub = new TwilioApiStub();
        sender = TwilioSmsSender.builder().account(P1, TwilioSmsSenderTest.account()).publicBaseUrl(PUBLIC_BASE + "/")
                .apiBaseUrl(stub.baseUrl()).build();
    }

    @AfterEach
    void stop() {
        sender.close();
        stub.close();
    }

    private static Practice practice(ZoneId zone) {
        // Open every day 08:00-21:00 so the test does not depend on the day it runs.
        return Practice.builder(P1).name("Stub Clinic").callbackPhone("(201) 555-0199").timeZone(zone).smsFrom(FROM)
                .sendWindow(SendWindow.of(EnumSet.allOf(DayOfWeek.class), LocalTime.of(8, 0), LocalTime.of(21, 0)))
                .calendar(BusinessCalendar.none()).build();
    }

    private static String csv(int patients) {
        StringBuilder s = new StringBuilder("MRN,First Name,Last Name,Phone,Email,Provider,Follow-Up Type\n");
        for (int i = 0; i < patients; i++) {
            s.append("T").append(i).append(",Pat,Stub").append(i).append(",+1201555").append(String.format("%04d", 200 + i))
                    .append(",,Dr. Stub,annual\n");
        }
        return s.toString();
    }

    @Test
    void theEngineNeverExceedsASendersRate() {
        // A zone in which it is now midday, so the real clock is inside the window wherever CI runs.
        int utcHour = java.time.ZonedDateTime.now(Clock.systemUTC()).getHour();
        ZoneId zone = ZoneOffset.ofHours(Math.max(-12, Math.min(14, 12 - utcHour)));
        FollowUpEngine engine = FollowUpEngine.builder().clock(Clock.systemUTC()).store(new InMemoryFollowUpStore()).smsSender(sender)
                .practice(practice(zone)).sendRate(FROM, SendRate.perSecond(5)).build();
        engine.ingest(P1, new ByteArrayInputStream(csv(12).getBytes(StandardCharsets.UTF_8)), null);

        engine.runDueWork();

        List<TwilioApiStub.Received> sends = stub.sends();
        assertThat(sends).hasSize(12);
        // Departures are scheduled 1/rate apart on the clock; arrivals jitter by each call's own latency
        // (the first call also opens the connection). So the i-th message never arrives earlier than
        // i/rate seconds after the first, less that jitter: at most 5 a second, on average and in any second.
        long interval = Duration.ofMillis(200).toNanos();
        long jitter = Duration.ofMillis(60).toNanos();
        long first = sends.get(0).arrivedNanos();
        for (int i = 1; i < sends.size(); i++) {
            assertThat(sends.get(i).arrivedNanos() - first).as("arrival of send " + i + " after the first")
                    .isGreaterThanOrEqualTo(i * interval - jitter);
        }
        for (int i = 5; i < sends.size(); i++) {
            assertThat(sends.get(i).arrivedNanos() - sends.get(i - 5).arrivedNanos()).as("five sends before send " + i)
                    .isGreaterThanOrEqualTo(5 * interval - jitter);
        }
    }

    @Test
    void aPatientBooksByReplyingToTheTextsThroughSignedWebhooks() {
        MutableClock clock = MutableClock.at("2026-03-02T16:00:00Z"); // 10:00 in Chicago
        InMemoryScheduling scheduling = new InMemoryScheduling(ZoneId.of("America/Chicago"));
        InMemoryFollowUpStore store = new InMemoryFollowUpStore();
        FollowUpEngine engine = FollowUpEngine.builder().clock(clock).store(store).smsSender(sender).slotProvider(scheduling)
                .appointmentBooker(scheduling).practice(practice(ZoneId.of("America/Chicago"))).build();
        TwilioWebhooks webhooks = TwilioWebhooks.builder().account(P1, TwilioSmsSenderTest.account()).publicBaseUrl(PUBLIC_BASE + "/")
                .clock(clock).build();
        engine.ingest(P1, new ByteArrayInputStream(csv(1).getBytes(StandardCharsets.UTF_8)), null);

        engine.runDueWork();
        assertThat(stub.sends()).hasSize(1);
        TwilioApiStub.Received invite = stub.sends().get(0);
        assertThat(invite.form().get("Body")).contains("Reply YES");
        String callback = invite.form().get("StatusCallback");
        assertThat(callback).startsWith(PUBLIC_BASE + "/twilio/status/p1?attempt=");

        // Twilio reports the invitation delivered, twice and out of order: it settles once, forward only.
        String path = callback.substring(PUBLIC_BASE.length());
        assertThat(status(engine, webhooks, path, "delivered")).isTrue();
        assertThat(status(engine, webhooks, path, "sent")).isFalse();
        assertThat(status(engine, webhooks, path, "delivered")).isFalse();

        clock.advance(Duration.ofHours(1));
        String yesSid = nextSid();
        InboundResult yes = inbound(engine, webhooks, yesSid, "Yes!");
        assertThat(yes.action()).isEqualTo(InboundResult.Action.SLOTS_OFFERED);
        assertThat(inbound(engine, webhooks, yesSid, "Yes!").action()).isEqualTo(InboundResult.Action.DUPLICATE);
        assertThat(stub.sends()).hasSize(2);
        assertThat(stub.sends().get(1).form().get("Body")).contains("1) ").contains("2) ").contains("3) ");

        clock.advance(Duration.ofMinutes(5));
        InboundResult booked = inbound(engine, webhooks, nextSid(), "2");
        assertThat(booked.action()).isEqualTo(InboundResult.Action.BOOKED);
        assertThat(stub.sends()).hasSize(3);
        assertThat(stub.sends().get(2).form().get("Body")).contains("booked");
        Optional<FollowUp> followUp = engine.followUp(P1, booked.followUpId());
        assertThat(followUp).get().extracting(FollowUp::state).isEqualTo(FollowUpState.BOOKED);

        // A forged webhook is refused before the engine sees it.
        Map<String, String> forged = form(nextSid(), "STOP");
        assertThatThrownBy(() -> webhooks.inboundSms("http://10.0.0.7/twilio/inbound/p1", multi(forged), "forged-signature"))
                .isInstanceOf(TwilioSignatureException.class);
    }

    @Test
    void aStopWebhookOptsThePatientOutAndNothingIsSentAfter() {
        MutableClock clock = MutableClock.at("2026-03-02T16:00:00Z");
        FollowUpEngine engine = FollowUpEngine.builder().clock(clock).store(new InMemoryFollowUpStore()).smsSender(sender)
                .practice(practice(ZoneId.of("America/Chicago"))).build();
        TwilioWebhooks webhooks = TwilioWebhooks.builder().account(P1, TwilioSmsSenderTest.account()).publicBaseUrl(PUBLIC_BASE + "/")
                .clock(clock).build();
        engine.ingest(P1, new ByteArrayInputStream(csv(1).getBytes(StandardCharsets.UTF_8)), null);
        engine.runDueWork();

        InboundResult stop = inbound(engine, webhooks, nextSid(), "STOP");
        assertThat(stop.action()).isEqualTo(InboundResult.Action.OPTED_OUT);
        for (int day = 0; day < 4; day++) {
            clock.advance(Duration.ofDays(1));
            engine.runDueWork();
        }
        // Twilio itself confirms the exact keyword STOP; the library sends nothing more.
        assertThat(stub.sends()).hasSize(1);
    }

    @Test
    void retentionPurgeAsksTwilioToRedactItsCopyOfOldTexts() {
        MutableClock clock = MutableClock.at("2026-03-02T16:00:00Z");
        FollowUpEngine engine = FollowUpEngine.builder().clock(clock).store(new InMemoryFollowUpStore()).smsSender(sender)
                .practice(practice(ZoneId.of("America/Chicago"))).redactProviderCopies(true).build();
        engine.ingest(P1, new ByteArrayInputStream(csv(2).getBytes(StandardCharsets.UTF_8)), null);
        engine.runDueWork();
        assertThat(stub.sends()).hasSize(2);

        clock.advance(Duration.ofDays(29));
        assertThat(engine.purgeExpiredMessageBodies()).isZero();
        clock.advance(Duration.ofDays(2));
        assertThat(engine.purgeExpiredMessageBodies()).isEqualTo(2);

        List<TwilioApiStub.Received> redactions = stub.received().stream()
                .filter(r -> r.method().equals("POST") && r.path().contains("/Messages/SM")).toList();
        assertThat(redactions).hasSize(2).allSatisfy(r -> assertThat(r.form()).containsEntry("Body", ""));
        assertThat(engine.purgeExpiredMessageBodies()).as("already purged: nothing to redact again").isZero();
        assertThat(engine.verifyAuditTrail(P1).isIntact()).isTrue();
    }

    private static String nextSid() {
        return "SM" + String.format("%032x", SIDS.incrementAndGet());
    }

    private static Map<String, String> form(String sid, String body) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", sid);
        form.put("SmsSid", sid);
        form.put("AccountSid", ACCOUNT_SID);
        form.put("From", "+12015550200");
        form.put("To", FROM);
        form.put("Body", body);
        form.put("NumMedia", "0");
        return form;
    }

    private static Map<String, List<String>> multi(Map<String, String> form) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        form.forEach((k, v) -> multi.put(k, List.of(v)));
        return multi;
    }

    private static InboundResult inbound(FollowUpEngine engine, TwilioWebhooks webhooks, String sid, String body) {
        Map<String, String> form = form(sid, body);
        String signature = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE + "/twilio/inbound/p1", form);
        InboundSms sms = webhooks.inboundSms("http://10.0.0.7:8080/twilio/inbound/p1", multi(form), signature);
        return engine.handleInboundSms(sms);
    }

    private boolean status(FollowUpEngine engine, TwilioWebhooks webhooks, String path, String status) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", FIRST_SID_THE_STUB_GIVES);
        form.put("MessageStatus", status);
        form.put("AccountSid", ACCOUNT_SID);
        form.put("From", FROM);
        form.put("To", "+12015550200");
        String signature = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE + path, form);
        Optional<DeliveryUpdate> update = webhooks.statusCallback("http://10.0.0.7:8080" + path, multi(form), signature);
        assertThat(update).get().extracting(DeliveryUpdate::status).isEqualTo(DeliveryStatus.parse(status).orElseThrow());
        return engine.handleDeliveryUpdate(update.orElseThrow());
    }
}
