package dev.followup.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.FollowUpEngine;
import dev.followup.InvalidInputException;
import dev.followup.conversation.InboundResult;
import dev.followup.conversation.InboundSms;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpState;
import dev.followup.test.InMemoryFollowUpStore;
import dev.followup.test.InMemoryScheduling;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import dev.followup.test.TwilioSignatures;
import dev.followup.twilio.TwilioAccount;
import dev.followup.twilio.TwilioSignatureException;
import dev.followup.twilio.TwilioWebhooks;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile webhook requests against {@link TwilioWebhooks} in front of a real engine: each is
 * refused before the engine sees it (403 for what is not shown to come from Twilio, 400 for a
 * genuine-looking request that is malformed), and afterwards the store holds nothing of them: no
 * inbound message under their ids, no task, the follow-up unchanged. A replayed genuine event is
 * applied once.
 */
class HostileWebhookTest {
    private static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    private static final String AUTH_TOKEN = "faults-auth-token";
    private static final String PUBLIC = "https://hooks.example.com/followup";
    private static final String PATH = "/twilio/inbound/" + Fixtures.PRACTICE.value();
    private static final String SEEN_AT = "http://10.0.0.7:8080" + PATH;
    private static final String PATIENT = Fixtures.phone(0).e164();

    private final MutableClock clock = MutableClock.at(Fixtures.MONDAY_10);
    private FollowUpEngine engine;
    private TwilioWebhooks webhooks;
    private FollowUp followUp;
    private int sids;

    @BeforeEach
    void engineWithOneContactedPatient() {
        InMemoryScheduling scheduling = new InMemoryScheduling(ZoneId.of(Fixtures.ZONE));
        InMemoryFollowUpStore store = new InMemoryFollowUpStore();
        engine = FollowUpEngine.builder().clock(clock).store(store).smsSender(new InMemorySmsSender())
                .slotProvider(scheduling).appointmentBooker(scheduling).practice(Fixtures.practice()).build();
        webhooks = TwilioWebhooks.builder()
                .account(Fixtures.PRACTICE, TwilioAccount.builder(ACCOUNT_SID).authToken(AUTH_TOKEN).phoneNumber(Fixtures.SMS_FROM).build())
                .publicBaseUrl(PUBLIC + "/").clock(clock).build();
        engine.ingest(Fixtures.PRACTICE, Fixtures.csv(1), null);
        engine.runDueWork();
        followUp = Fixtures.activeFollowUp(store, Fixtures.phone(0));
        assertThat(followUp.state()).isEqualTo(FollowUpState.CONTACTING);
    }

    @Test
    void missingForgedAndMisdirectedSignaturesAreRefused() {
        String sid = sid();
        Map<String, String> form = form(sid, "STOP");
        String good = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC + PATH, form);
        refused(SEEN_AT, multi(form), null);
        refused(SEEN_AT, multi(form), "");
        refused(SEEN_AT, multi(form), "   ");
        refused(SEEN_AT, multi(form), "bm90IGEgc2lnbmF0dXJl");
        refused(SEEN_AT, multi(form), TwilioSignatures.sign("another-token", PUBLIC + PATH, form));
        // Signed for another URL (another practice's endpoint, the raw host) or over other parameters.
        refused(SEEN_AT, multi(form), TwilioSignatures.sign(AUTH_TOKEN, PUBLIC + "/twilio/inbound/other", form));
        refused(SEEN_AT, multi(form), TwilioSignatures.sign(AUTH_TOKEN, SEEN_AT, form));
        Map<String, String> changed = new LinkedHashMap<>(form);
        changed.put("Body", "YES");
        refused(SEEN_AT, multi(changed), good);
        Map<String, String> otherAccount = new LinkedHashMap<>(form);
        otherAccount.put("AccountSid", "AC" + "f".repeat(32));
        refused(SEEN_AT, multi(otherAccount), TwilioSignatures.sign(AUTH_TOKEN, PUBLIC + PATH, otherAccount));
        // A path that names no practice served here, or tries to walk out of its segment.
        refused("http://10.0.0.7:8080/twilio/inbound/nobody", multi(form), good);
        refused("http://10.0.0.7:8080/twilio/inbound/..%2Ffaults", multi(form), good);
        refused("http://10.0.0.7:8080/twilio/inbound/%ZZ", multi(form), good);

        nothingStoredUnder(sid);
    }

    @Test
    void aReplayedEventIsAppliedOnce() {
        String sid = sid();
        assertThat(deliver(sid, "STOP").action()).isEqualTo(InboundResult.Action.OPTED_OUT);
        // Twilio retries a webhook it got no answer to, and an attacker may replay a captured one.
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(1));
            assertThat(deliver(sid, "STOP").action()).isEqualTo(InboundResult.Action.DUPLICATE);
        }
        assertThat(engine.followUp(Fixtures.PRACTICE, followUp.id()).orElseThrow().state()).isEqualTo(FollowUpState.OPTED_OUT);
        assertThat(engine.openTasks(Fixtures.PRACTICE)).isEmpty();
        assertThat(engine.verifyAuditTrail(Fixtures.PRACTICE).isIntact()).isTrue();
    }

    @Test
    void oversizedBodiesAreRejectedBeforeTheSignatureIsComputed() {
        String sid = sid();
        String twoMegabytes = "Y".repeat(2 * 1024 * 1024);
        Map<String, String> form = form(sid, twoMegabytes);
        // Even correctly signed (only the auth token's holder could), a body no SMS can have is malformed: 400.
        assertThatThrownBy(() -> webhooks.inboundSms(SEEN_AT, multi(form), TwilioSignatures.sign(AUTH_TOKEN, PUBLIC + PATH, form)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("too long").hasMessageNotContaining("YYYY");
        assertThatThrownBy(() -> webhooks.inboundSms(SEEN_AT, multi(form), "forged")).isInstanceOf(InvalidInputException.class);
        // Many parameters, each small: refused by their total.
        Map<String, String> wide = form(sid, "STOP");
        for (int i = 0; i < 5_000; i++) {
            wide.put("X" + i, "v".repeat(100));
        }
        assertThatThrownBy(() -> webhooks.inboundSms(SEEN_AT, multi(wide), TwilioSignatures.sign(AUTH_TOKEN, PUBLIC + PATH, wide)))
                .isInstanceOf(InvalidInputException.class);
        // The longest real message (1,600 characters) still passes.
        String longest = "a".repeat(1_600);
        Map<String, String> real = form(sid(), longest);
        assertThat(webhooks.inboundSms(SEEN_AT, multi(real), TwilioSignatures.sign(AUTH_TOKEN, PUBLIC + PATH, real)).body()).isEqualTo(longest);

        nothingStoredUnder(sid);
    }

    @Test
    void invalidUtf8IsRefused() {
        // The container decoded invalid bytes into U+FFFD: the text is not what Twilio signed.
        String sid = sid();
        Map<String, String> signed = form(sid, "Yes \u2713");
        Map<String, String> garbled = form(sid, "Yes \uFFFD");
        refused(SEEN_AT, multi(garbled), TwilioSignatures.sign(AUTH_TOKEN, PUBLIC + PATH, signed));
        // A lone surrogate encodes to '?' in UTF-8, so a signature over "STOP?" would also cover
        // "STOP\uD800": no decoder of valid UTF-8 produces one, so it is refused outright.
        Map<String, String> lone = form(sid, "STOP\uD800");
        assertThatThrownBy(() -> webhooks.inboundSms(SEEN_AT, multi(lone), TwilioSignatures.sign(AUTH_TOKEN, PUBLIC + PATH, form(sid, "STOP?"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not valid UTF-16");
        Map<String, String> loneLow = form(sid, "STOP");
        loneLow.put("From", PATIENT + "\uDC00");
        assertThatThrownBy(() -> webhooks.inboundSms(SEEN_AT, multi(loneLow), TwilioSignatures.sign(AUTH_TOKEN, PUBLIC + PATH, loneLow)))
                .isInstanceOf(InvalidInputException.class);
        // A genuine U+FFFD that Twilio signed (a patient can type one) is an ordinary character.
        Map<String, String> typed = form(sid(), "Maybe \uFFFD later");
        assertThat(webhooks.inboundSms(SEEN_AT, multi(typed), TwilioSignatures.sign(AUTH_TOKEN, PUBLIC + PATH, typed)).body()).contains("\uFFFD");

        nothingStoredUnder(sid);
    }

    @Test
    void parametersInUnexpectedPlacesAreRefused() {
        String sid = sid();
        Map<String, String> form = form(sid, "STOP");
        String good = TwilioSignatures.sign(AUTH_TOKEN, PUBLIC + PATH, form);
        // The same parameter twice in the body (or once in the query and once in the body, merged by the container).
        Map<String, List<String>> twice = multi(form);
        twice.put("Body", List.of("STOP", "YES"));
        refused(SEEN_AT, twice, good);
        // The message id only in the query string: Twilio never puts it there, so the body has none.
        Map<String, String> noSid = new LinkedHashMap<>(form);
        noSid.remove("MessageSid");
        noSid.remove("SmsSid");
        String withQuery = PATH + "?MessageSid=" + sid;
        Map<String, List<String>> merged = multi(noSid);
        merged.put("MessageSid", List.of(sid));
        assertThatThrownBy(() -> webhooks.inboundSms("http://10.0.0.7:8080" + withQuery, merged, TwilioSignatures.sign(AUTH_TOKEN, PUBLIC + withQuery, noSid)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no MessageSid");
        // A parameter added to the query string of a signed request changes the URL Twilio signed.
        refused(SEEN_AT + "?Body=YES", multi(form), good);
        // Parameters without a name or without a value.
        Map<String, List<String>> nullName = new LinkedHashMap<>(multi(form));
        nullName.put(null, List.of("x"));
        assertThatThrownBy(() -> webhooks.inboundSms(SEEN_AT, nullName, good)).isInstanceOfAny(TwilioSignatureException.class,
                InvalidInputException.class);
        Map<String, List<String>> nullValues = new LinkedHashMap<>(multi(form));
        nullValues.put("Body", null);
        refused(SEEN_AT, nullValues, good);
        Map<String, List<String>> nullValue = new LinkedHashMap<>(multi(form));
        nullValue.put("Body", java.util.Collections.singletonList(null));
        refused(SEEN_AT, nullValue, good);

        nothingStoredUnder(sid);
    }

    /** No inbound message under the id (a genuine delivery of it is new), no task, the follow-up as it was. */
    private void nothingStoredUnder(String sid) {
        assertThat(engine.openTasks(Fixtures.PRACTICE)).isEmpty();
        FollowUp now = engine.followUp(Fixtures.PRACTICE, followUp.id()).orElseThrow();
        assertThat(now.state()).isEqualTo(FollowUpState.CONTACTING);
        assertThat(now.repliedAt()).isNull();
        assertThat(deliver(sid, "STOP").action()).as("the id was never recorded").isEqualTo(InboundResult.Action.OPTED_OUT);
    }

    private void refused(String url, Map<String, List<String>> form, String signature) {
        assertThatThrownBy(() -> engine.handleInboundSms(webhooks.inboundSms(url, form, signature)))
                .isInstanceOf(TwilioSignatureException.class);
    }

    private InboundResult deliver(String sid, String body) {
        Map<String, String> form = form(sid, body);
        InboundSms sms = webhooks.inboundSms(SEEN_AT, multi(form), TwilioSignatures.sign(AUTH_TOKEN, PUBLIC + PATH, form));
        return engine.handleInboundSms(sms);
    }

    private String sid() {
        return String.format("SM%032x", 0xfa000 + ++sids);
    }

    private static Map<String, String> form(String sid, String body) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", sid);
        form.put("SmsSid", sid);
        form.put("AccountSid", ACCOUNT_SID);
        form.put("From", PATIENT);
        form.put("To", Fixtures.SMS_FROM);
        form.put("Body", body);
        form.put("NumMedia", "0");
        return form;
    }

    private static Map<String, List<String>> multi(Map<String, String> form) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        form.forEach((k, v) -> multi.put(k, new ArrayList<>(List.of(v))));
        return multi;
    }
}
