package dev.followup.engine;

import static dev.followup.engine.EngineFixture.PRACTICE_ID;
import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.audit.AuditType;
import dev.followup.conversation.InboundResult;
import dev.followup.conversation.ReplyKind;
import dev.followup.engine.EngineFixture.Row;
import dev.followup.engine.EngineFixture.Text;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpState;
import dev.followup.ingest.ImportResult;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.DeliveryUpdate;
import dev.followup.message.MessagePurpose;
import dev.followup.message.SendAttempt;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Opt-out through the engine: every wording, every channel, every follow-up of the patient (and
 * of everyone sharing the number), checked when sending, confirmed at most once; START opts back
 * in without reviving closed follow-ups; carrier opt-outs (21610) and opt-outs from unknown numbers.
 */
class OptOutEngineTest {
    static final String CONFIRMATION = "you will not receive more messages";

    /** A patient with two follow-ups, the first invited on Monday at 10:00, the second waiting for Tuesday (daily cap). */
    private static Row[] twoNeeds(EngineFixture fx, int n) {
        Row first = patient(n);
        Row second = patient(n).type("Annual Exam");
        fx.ingestNew(first, second);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        assertThat(fx.textsTo(first)).hasSize(1);
        assertThat(fx.followUpsOf(first)).extracting(FollowUp::state).containsExactlyInAnyOrder(FollowUpState.CONTACTING, FollowUpState.PENDING);
        return new Row[] {first, second};
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', value = {
        "STOP|0", "stop.|0", "STOPALL|0", "Unsubscribe|0", "CANCEL|0", "END|0", "QUIT|0", "REVOKE|0", "OPTOUT|0",
        "opt out|1", "please stop texting me|1", "don't text me|1", "no more messages|1", "Remove me from your list|1",
        "para|1", "basta|1", "no más mensajes|1", "cancelar|1", "no me escriban|1"})
    void everyOptOutWordingClosesAllTheFollowUpsAndNothingIsSentAfter(String text, int confirmations) {
        EngineFixture fx = EngineFixture.create();
        Row row = twoNeeds(fx, 1)[0];

        InboundResult result = fx.reply(row, text);

        assertThat(result.kind()).isEqualTo(ReplyKind.OPT_OUT);
        assertThat(result.action()).isEqualTo(InboundResult.Action.OPTED_OUT);
        assertThat(fx.followUpsOf(row)).hasSize(2).extracting(FollowUp::state).containsOnly(FollowUpState.OPTED_OUT);
        assertThat(fx.textsTo(row)).hasSize(1 + confirmations);
        fx.runFor(Duration.ofDays(10));
        assertThat(fx.textsTo(row)).as("nothing after the opt-out but the confirmation").hasSize(1 + confirmations);
        assertThat(fx.mailsTo(row)).as("the opt-out covers email").isEmpty();
        assertThat(fx.openTasks()).isEmpty();
    }

    @Test
    void aFamilySharingOnePhoneIsOptedOutTogether() {
        EngineFixture fx = EngineFixture.create();
        Row mother = patient(2).name("Ana", "Sample");
        Row son = patient(3).name("Leo", "Sample").phone(mother.phone()).email("leo.sample@example.com");
        fx.ingestNew(mother, son);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        assertThat(fx.textsTo(mother)).as("one outreach a day for the shared number, not one per patient").hasSize(1);

        assertThat(fx.reply(mother, "Stop").action()).isEqualTo(InboundResult.Action.OPTED_OUT);

        assertThat(fx.followUpOf(mother).state()).isEqualTo(FollowUpState.OPTED_OUT);
        assertThat(fx.followUpOf(son).state()).isEqualTo(FollowUpState.OPTED_OUT);
        fx.runFor(Duration.ofDays(10));
        assertThat(fx.textsTo(mother)).hasSize(1);
        assertThat(fx.mailsTo(mother)).isEmpty();
        assertThat(fx.mailsTo(son)).isEmpty();
        assertThat(fx.auditEvents()).filteredOn(e -> e.type() == AuditType.CONSENT_CHANGED)
                .extracting(e -> e.patientId()).containsExactlyInAnyOrder(fx.patient(mother).id(), fx.patient(son).id());

        // Both stay opted out: a new need of the son is not pursued on any channel.
        fx.ingestNew(son.type("Annual Exam"));
        fx.runFor(Duration.ofDays(10));
        assertThat(fx.textsTo(son)).as("the shared number got the one invitation of the family").hasSize(1);
        assertThat(fx.mailsTo(son)).isEmpty();
        assertThat(fx.followUpsOf(son)).extracting(FollowUp::state).containsOnly(FollowUpState.OPTED_OUT);
    }

    /**
     * A patient without an MRN is known by their number and name. A week after their STOP the list
     * brings them with a new number, or with none that can be used: a new patient to the store, but
     * with the email and name of one who opted out, so opted out too, and nobody is contacted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"+13125550977", "n/a"})
    void aNewPatientWithTheEmailAndNameOfOneWhoOptedOutIsOptedOutToo(String laterPhone) {
        EngineFixture fx = EngineFixture.create();
        Row before = patient(41).mrn("");
        fx.ingestNew(before);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        assertThat(fx.reply(before, "STOP").action()).isEqualTo(InboundResult.Action.OPTED_OUT);
        fx.runFor(Duration.ofDays(7));

        ImportResult later = fx.ingest(before.phone(laterPhone).type("Lab Review"));
        fx.runFor(Duration.ofDays(10));

        assertThat(later.accepted()).isEqualTo(1);
        assertThat(fx.followUps()).hasSize(2).extracting(FollowUp::state).containsOnly(FollowUpState.OPTED_OUT);
        assertThat(fx.textsTo("+13125550977")).isEmpty();
        assertThat(fx.textsTo(before)).hasSize(1);
        assertThat(fx.mailsTo(before)).isEmpty();
        assertThat(fx.auditEvents()).filteredOn(e -> e.type() == AuditType.CONSENT_CHANGED && "IMPORT".equals(e.attributes().get("source")))
                .singleElement().satisfies(e -> assertThat(e.patientId()).isNotEqualTo(fx.followUps().get(0).patientId()));
    }

    /**
     * Only a standing opt-out follows the email and name: a patient who texted STOP and then START
     * is opted in, so the new patient a later list makes of them (a new number) is texted.
     */
    @Test
    void aNewPatientWithTheEmailAndNameOfOneWhoOptedBackInIsTexted() {
        EngineFixture fx = EngineFixture.create();
        Row before = patient(45).mrn("");
        fx.ingestNew(before);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        assertThat(fx.reply(before, "STOP").action()).isEqualTo(InboundResult.Action.OPTED_OUT);
        fx.clock.advance(Duration.ofMinutes(5));
        fx.reply(before, "START");
        fx.runFor(Duration.ofDays(7));

        fx.ingest(before.phone("+13125550979").type("Lab Review"));
        fx.runFor(Duration.ofDays(1));

        assertThat(fx.textsTo("+13125550979")).hasSize(1);
        assertThat(fx.auditEvents()).noneMatch(e -> e.type() == AuditType.CONSENT_CHANGED && "IMPORT".equals(e.attributes().get("source")));
    }

    @Test
    void aStepAlreadyDueBeforeTheStopIsNeverSent() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(4);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 14, 9, 0));
        assertThat(fx.followUpOf(row).nextActionAt()).isEqualTo(chicago(2026, 4, 14, 10, 0));

        // The reminder is due, the scheduler has not run yet, and the patient opts out.
        fx.clock.set(chicago(2026, 4, 14, 10, 30));
        fx.reply(row, "no more messages please");
        fx.runFor(Duration.ofDays(5));

        assertThat(fx.mailsTo(row)).isEmpty();
        assertThat(fx.textsTo(row)).extracting(Text::body).hasSize(2).last().asString().contains(CONFIRMATION);
    }

    @Test
    void anOptOutArrivingAfterTheClaimStopsTheSend() {
        AtomicReference<Runnable> afterClaim = new AtomicReference<>();
        EngineFixture fx = EngineFixture.builder().storeWrapper(EngineFixture.afterEachClaim(claims -> {
            Runnable hook = claims.isEmpty() ? null : afterClaim.getAndSet(null);
            if (hook != null) {
                hook.run();
            }
        })).build();
        Row row = patient(5);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 9, 30));
        afterClaim.set(() -> fx.reply(row, "STOP"));

        fx.runUntil(chicago(2026, 4, 20, 12, 0));

        assertThat(afterClaim.get()).as("the STOP arrived between claim and send").isNull();
        assertThat(fx.textsTo(row)).isEmpty();
        assertThat(fx.mailsTo(row)).isEmpty();
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.OPTED_OUT);
    }

    @Test
    void anExactKeywordIsLeftToTheCarrierToConfirm() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(6);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        fx.reply(row, "STOP");

        assertThat(fx.textsTo(row)).hasSize(1);
        assertThat(fx.attemptsFor(row, MessagePurpose.OPT_OUT_CONFIRMATION)).isEmpty();
    }

    @Test
    void aPlainLanguageOptOutIsConfirmedExactlyOnce() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(7);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        fx.reply(row, "please stop texting me");
        fx.clock.advance(Duration.ofMinutes(2));
        fx.reply(row, "STOP");
        fx.reply(row, "I said no more messages");
        fx.runFor(Duration.ofDays(3));

        List<Text> texts = fx.textsTo(row);
        assertThat(texts).hasSize(2);
        assertThat(texts.get(1).body()).contains(CONFIRMATION).contains(EngineFixture.PRACTICE_NAME);
        assertThat(texts.get(1).at()).isEqualTo(chicago(2026, 4, 13, 11, 0));
        assertThat(fx.attemptsFor(row, MessagePurpose.OPT_OUT_CONFIRMATION)).hasSize(1);
    }

    @Test
    void withoutCarrierKeywordHandlingTheEngineConfirmsStopOnce() {
        EngineFixture fx = EngineFixture.builder().practice(b -> b.carrierAnswersExactKeywords(false)).build();
        Row row = patient(8);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        fx.reply(row, "STOP");
        fx.reply(row, "STOP");

        assertThat(fx.textsTo(row)).hasSize(2);
        assertThat(fx.textsTo(row).get(1).body()).contains(CONFIRMATION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"START", "unstop"})
    void startOptsBackInButClosedFollowUpsStayClosed(String word) {
        EngineFixture fx = EngineFixture.create();
        Row[] needs = twoNeeds(fx, 9);
        Row row = needs[0];
        fx.reply(row, "STOP");
        fx.clock.advance(Duration.ofHours(1));

        InboundResult result = fx.reply(row, word);

        assertThat(result.kind()).isEqualTo(ReplyKind.OPT_IN);
        assertThat(result.action()).isEqualTo(InboundResult.Action.OPTED_IN);
        fx.runFor(Duration.ofDays(7));
        assertThat(fx.followUpsOf(row)).extracting(FollowUp::state).containsOnly(FollowUpState.OPTED_OUT);
        int textsBefore = fx.textsTo(row).size();
        assertThat(fx.mailsTo(row)).isEmpty();

        // The same list again creates nothing; a new need starts new outreach.
        ImportResult again = fx.ingest(needs);
        assertThat(again.accepted()).isZero();
        assertThat(again.alreadyKnown()).isEqualTo(2);
        fx.runFor(Duration.ofDays(1));
        assertThat(fx.textsTo(row)).hasSize(textsBefore);

        fx.ingestNew(row.type("Physical Therapy"));
        fx.runFor(Duration.ofHours(1));
        assertThat(fx.textsTo(row)).hasSize(textsBefore + 1);
        assertThat(fx.textsTo(row).get(textsBefore).at()).isEqualTo(chicago(2026, 4, 21, 12, 0));
    }

    @Test
    void startFromANumberOptsTheNumberBackIn() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(10);
        fx.reply(PRACTICE_ID, row.phone(), "STOP");
        fx.clock.advance(Duration.ofMinutes(30));
        assertThat(fx.reply(PRACTICE_ID, row.phone(), "START").action()).isEqualTo(InboundResult.Action.OPTED_IN);

        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        assertThat(fx.textsTo(row)).hasSize(1);
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.CONTACTING);
    }

    @Test
    void anOptedOutPatientWhoTextsYesGetsNoMessageButAPerson() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(11);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        fx.reply(row, "STOP");

        InboundResult result = fx.reply(row, "YES");

        assertThat(result.kind()).isEqualTo(ReplyKind.YES);
        assertThat(result.action()).isEqualTo(InboundResult.Action.RECORDED);
        assertThat(fx.textsTo(row)).hasSize(1);
        List<StaffTask> tasks = fx.openTasks();
        assertThat(tasks).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(TaskKind.REVIEW_REPLY);
            assertThat(t.patientId()).isEqualTo(fx.patient(row).id());
            assertThat(t.replyText()).isEqualTo("YES");
        });
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.OPTED_OUT);
    }

    @Test
    void aCarrierOptOutAtSendTimeIsRecordedClosesTheFollowUpsAndIsNeverRetried() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(12);
        Row second = row.type("Annual Exam");
        fx.sms.optedOutAtCarrier(row.phoneNumber());
        fx.ingestNew(row, second);

        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        assertThat(fx.textsTo(row)).singleElement().satisfies(t -> assertThat(t.result().errorCode()).isEqualTo("21610"));
        assertThat(fx.followUpsOf(row)).extracting(FollowUp::state).containsOnly(FollowUpState.OPTED_OUT);
        assertThat(fx.auditEvents()).filteredOn(e -> e.type() == AuditType.CONSENT_CHANGED)
                .singleElement().satisfies(e -> assertThat(e.attributes()).containsEntry("status", "OPTED_OUT").containsEntry("source", "CARRIER"));
        fx.runFor(Duration.ofDays(10));
        fx.ingestNew(row.type("Physical Therapy"));
        fx.runFor(Duration.ofDays(10));
        assertThat(fx.textsTo(row)).as("never retried").hasSize(1);
        assertThat(fx.mailsTo(row)).as("every channel").isEmpty();
    }

    @Test
    void aCarrierRefusingAReplysTextOptsThePatientOut() {
        // The patient's STOP reached Twilio but not the library (the webhook was down): the answer to their next text is refused.
        Row row = patient(31);
        EngineFixture fx = invitedForTwoNeeds(row);
        fx.sms.optedOutAtCarrier(row.phoneNumber());

        fx.reply(row, "Can I bring my daughter?");

        assertThat(fx.textsTo(row).get(fx.textsTo(row).size() - 1).result().errorCode()).as("the reply's text, refused").isEqualTo("21610");
        assertOptedOutAtTheCarrier(fx, row);
    }

    @Test
    void aCarrierOptOutReportedForAReplysTextOptsThePatientOut() {
        Row row = patient(32);
        EngineFixture fx = invitedForTwoNeeds(row);
        fx.reply(row, "Can I bring my daughter?");
        SendAttempt answer = fx.attempts().stream().filter(a -> a.purpose() != MessagePurpose.OUTREACH).reduce((a, b) -> b).orElseThrow();

        boolean applied = fx.engine.handleDeliveryUpdate(new DeliveryUpdate(PRACTICE_ID, answer.id(), answer.providerMessageId(),
                DeliveryStatus.UNDELIVERED, "21610", fx.clock.instant()));

        assertThat(applied).isTrue();
        assertOptedOutAtTheCarrier(fx, row);
    }

    @Test
    void aCarrierOptOutAtSendTimeIsRecordedEvenWhenAReplyMovedTheFollowUpOnMeanwhile() {
        // While the provider is called, the patient's question moves the follow-up on; then the carrier refuses the text.
        AtomicReference<EngineFixture> fixture = new AtomicReference<>();
        AtomicInteger sends = new AtomicInteger();
        Row row = patient(33);
        EngineFixture fx = EngineFixture.builder().smsWrapper(inner -> sms -> {
            if (sends.incrementAndGet() == 1) { // the first outreach text; the reply's own text is the second
                fixture.get().reply(row, "Can I bring my daughter?");
                fixture.get().sms.optedOutAtCarrier(row.phoneNumber());
            }
            return inner.send(sms);
        }).build();
        fixture.set(fx);
        fx.ingestNew(row);

        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        assertThat(fx.textsTo(row)).extracting(t -> t.result().errorCode()).contains("21610");
        assertThat(fx.followUpOf(row).state()).as("the question handed it to staff").isEqualTo(FollowUpState.HANDED_TO_STAFF);
        fx.ingestNew(row.type("Annual Exam")); // a need of next week's list
        assertOptedOutAtTheCarrier(fx, row);
    }

    /** @return a fixture in which {@code row} has two needs and got the first text of one of them */
    private static EngineFixture invitedForTwoNeeds(Row row) {
        EngineFixture fx = EngineFixture.create();
        fx.ingestNew(row, row.type("Annual Exam"));
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        return fx;
    }

    /**
     * Five days on: the consent change recorded once, every follow-up of the patient closed (the one
     * a question handed to staff stays with staff), and nothing sent on any channel.
     */
    private static void assertOptedOutAtTheCarrier(EngineFixture fx, Row row) {
        int texts = fx.textsTo(row).size();
        fx.runFor(Duration.ofDays(5));
        assertThat(fx.textsTo(row)).as("no text after").hasSize(texts);
        assertThat(fx.mailsTo(row)).as("every channel").isEmpty();
        assertThat(fx.followUpsOf(row)).noneMatch(FollowUp::isActive).extracting(FollowUp::state).contains(FollowUpState.OPTED_OUT);
        assertThat(fx.auditEvents()).filteredOn(e -> e.type() == AuditType.CONSENT_CHANGED)
                .singleElement().satisfies(e -> assertThat(e.attributes()).containsEntry("status", "OPTED_OUT").containsEntry("source", "CARRIER"));
    }

    @Test
    void anOptOutFromAnUnknownNumberBindsTheNumber() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(13);

        InboundResult result = fx.reply(PRACTICE_ID, row.phone(), "STOP");
        assertThat(result.action()).isEqualTo(InboundResult.Action.OPTED_OUT);
        assertThat(result.patientId()).isNull();

        fx.clock.advance(Duration.ofDays(3));
        fx.ingestNew(row);
        fx.runFor(Duration.ofDays(10));

        assertThat(fx.textsTo(row)).isEmpty();
        assertThat(fx.mailsTo(row)).isEmpty();
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.OPTED_OUT);
    }
}
