package dev.followup.engine;

import static dev.followup.engine.EngineFixture.PRACTICE_ID;
import static dev.followup.engine.EngineFixture.PRACTICE_NAME;
import static dev.followup.engine.EngineFixture.PRACTICE_PHONE;
import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.conversation.InboundResult;
import dev.followup.conversation.ReplyKind;
import dev.followup.engine.EngineFixture.Row;
import dev.followup.engine.EngineFixture.Text;
import dev.followup.followup.FollowUpState;
import dev.followup.message.AttemptState;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.DeliveryUpdate;
import dev.followup.message.MessagePurpose;
import dev.followup.spi.SendResult;
import dev.followup.spi.SmsSender;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskKind;
import dev.followup.task.TaskPriority;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** HELP, NO and free text through the engine, and the rule that no reply ever meets a dead end. */
class RepliesEngineTest {

    private static EngineFixture invited(Row row) {
        EngineFixture fx = EngineFixture.create();
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        assertThat(fx.textsTo(row)).hasSize(1);
        return fx;
    }

    @ParameterizedTest(name = "\"{0}\" in {1}")
    @CsvSource({"HELP,en", "info,en", "Help?,en", "ayuda,es", "INFO,es"})
    void helpIsAnsweredWithThePracticesNameAndPhone(String text, String language) {
        Row row = patient(1).language(language);
        EngineFixture fx = invited(row);

        InboundResult result = fx.reply(row, text);

        assertThat(result.kind()).isEqualTo(ReplyKind.HELP);
        assertThat(result.action()).isEqualTo(InboundResult.Action.HELP_SENT);
        assertThat(fx.textsTo(row)).hasSize(2);
        assertThat(fx.textsTo(row).get(1).body()).contains(PRACTICE_NAME).contains(PRACTICE_PHONE);
        assertThat(fx.attemptsFor(row, MessagePurpose.HELP)).hasSize(1);
    }

    @Test
    void helpFromANumberWithoutAPatientIsAnsweredToo() {
        EngineFixture fx = EngineFixture.create();

        fx.reply(PRACTICE_ID, "+13125550188", "HELP");

        assertThat(fx.textsTo("+13125550188")).singleElement()
                .satisfies(t -> assertThat(t.body()).contains(PRACTICE_NAME).contains(PRACTICE_PHONE));
    }

    /**
     * The answer to a reply is recorded as still pending without a read first; when the provider's
     * delivery report came first (a fast carrier), that record loses, is made again from what is
     * stored, and the report's status stays.
     */
    @Test
    void aDeliveryReportThatBeatsTheSendsAnswerIsKept() {
        Row row = patient(3);
        AtomicReference<EngineFixture> fixture = new AtomicReference<>();
        AtomicBoolean armed = new AtomicBoolean();
        AtomicBoolean reported = new AtomicBoolean();
        EngineFixture fx = EngineFixture.builder().smsWrapper(inner -> (SmsSender) sms -> {
            SendResult result = inner.send(sms);
            if (armed.getAndSet(false)) {
                reported.set(true);
                assertThat(fixture.get().engine.handleDeliveryUpdate(new DeliveryUpdate(PRACTICE_ID, sms.attemptId(),
                        result.providerMessageId(), DeliveryStatus.DELIVERED, null, fixture.get().clock.instant()))).isTrue();
            }
            return result;
        }).build();
        fixture.set(fx);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        armed.set(true); // the next text, the answer to HELP
        fx.reply(row, "HELP");

        assertThat(reported).isTrue();
        assertThat(fx.attemptsFor(row, MessagePurpose.HELP)).singleElement().satisfies(a -> {
            assertThat(a.state()).isEqualTo(AttemptState.SENT);
            assertThat(a.deliveryStatus()).isEqualTo(DeliveryStatus.DELIVERED);
        });
        assertThat(fx.engine.verifyAuditTrail(PRACTICE_ID).isIntact()).isTrue();
    }

    @Test
    void noDeclinesWithOneAcknowledgementAndEndsTheLadder() {
        Row row = patient(2);
        EngineFixture fx = invited(row);

        InboundResult result = fx.reply(row, "No thanks");

        assertThat(result.kind()).isEqualTo(ReplyKind.NO);
        assertThat(result.action()).isEqualTo(InboundResult.Action.DECLINED);
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.DECLINED);
        fx.runFor(Duration.ofDays(7));
        assertThat(fx.textsTo(row)).hasSize(2);
        assertThat(fx.attemptsFor(row, MessagePurpose.DECLINE_ACKNOWLEDGEMENT)).hasSize(1);
        assertThat(fx.mailsTo(row)).isEmpty();
        assertThat(fx.openTasks()).isEmpty();
    }

    @Test
    void freeTextBecomesAStaffTaskCarryingTheTextAndIsAcknowledged() {
        Row row = patient(3);
        EngineFixture fx = invited(row);
        String text = "Can I come on a Saturday instead? My shift changed";

        InboundResult result = fx.reply(row, text);

        assertThat(result.kind()).isEqualTo(ReplyKind.OTHER);
        assertThat(result.action()).isEqualTo(InboundResult.Action.TASK_OPENED);
        List<StaffTask> tasks = fx.openTasks();
        assertThat(tasks).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(TaskKind.REVIEW_REPLY);
            assertThat(t.replyText()).isEqualTo(text);
            assertThat(t.followUpId()).isEqualTo(fx.followUpOf(row).id());
            assertThat(t.priority()).isEqualTo(TaskPriority.HIGH);
        });
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.HANDED_TO_STAFF);
        assertThat(fx.textsTo(row)).hasSize(2);
        assertThat(fx.textsTo(row).get(1).body()).contains("staff").contains(PRACTICE_PHONE);
        fx.runFor(Duration.ofDays(7));
        assertThat(fx.mailsTo(row)).as("the ladder stopped").isEmpty();
        assertThat(fx.textsTo(row)).hasSize(2);
    }

    @Test
    void aTextFromAStrangerGoesToAPerson() {
        EngineFixture fx = EngineFixture.create();

        InboundResult result = fx.reply(PRACTICE_ID, "+13125550187", "who is this? I got a missed call");

        assertThat(result.patientId()).isNull();
        assertThat(fx.openTasks()).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(TaskKind.REVIEW_REPLY);
            assertThat(t.patientId()).isNull();
            assertThat(t.replyText()).isEqualTo("who is this? I got a missed call");
        });
    }

    /** Every kind of reply leads to a message from us or to a person; a new kind must be added here. */
    @ParameterizedTest
    @EnumSource(ReplyKind.class)
    void noReplyIsADeadEnd(ReplyKind kind) {
        Row row = patient(4);
        EngineFixture fx = invited(row);
        String text = switch (kind) {
            case OPT_OUT -> "please stop texting me";
            case OPT_IN -> "opt me in";
            case HELP -> "HELP";
            case YES -> "yes please";
            case NO -> "no thank you";
            case SLOT_CHOICE -> {
                fx.reply(row, "YES");
                yield "2";
            }
            case OTHER -> "is the parking free?";
        };
        int textsBefore = fx.textsTo(row).size();
        int tasksBefore = fx.openTasks().size();

        InboundResult result = fx.reply(row, text);

        assertThat(result.kind()).isEqualTo(kind);
        boolean answered = fx.textsTo(row).size() > textsBefore;
        boolean handedToAPerson = fx.openTasks().size() > tasksBefore;
        assertThat(answered || handedToAPerson).as("%s was answered or handed to staff", kind).isTrue();
        assertThat(fx.textsTo(row).subList(textsBefore, fx.textsTo(row).size())).extracting(Text::body)
                .noneMatch(b -> b.toLowerCase(Locale.ROOT).contains("invalid"));
    }
}
