package dev.followup.engine;

import static dev.followup.engine.EngineFixture.PRACTICE_ID;
import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.audit.AuditType;
import dev.followup.engine.EngineFixture.Mail;
import dev.followup.engine.EngineFixture.Row;
import dev.followup.engine.EngineFixture.Text;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpState;
import dev.followup.message.AttemptState;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.DeliveryUpdate;
import dev.followup.message.MessagePurpose;
import dev.followup.message.SendAttempt;
import dev.followup.patient.EmailAddress;
import dev.followup.spi.SendResult;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The standard ladder's timing: SMS, email 24 h later, staff task 24 h after that; skips, failures and retries. */
class EscalationEngineTest {

    private static StaffTask onlyTask(EngineFixture fx) {
        List<StaffTask> tasks = fx.openTasks();
        assertThat(tasks).hasSize(1);
        return tasks.get(0);
    }

    @Test
    void smsThenEmailADayLaterThenAStaffTaskADayAfter() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(1);
        fx.ingestNew(row);

        fx.runFor(Duration.ofDays(7));

        assertThat(fx.textsTo(row)).extracting(Text::at).containsExactly(chicago(2026, 4, 13, 10, 0));
        assertThat(fx.mailsTo(row)).extracting(Mail::at).containsExactly(chicago(2026, 4, 14, 10, 0));
        StaffTask task = onlyTask(fx);
        assertThat(task.kind()).isEqualTo(TaskKind.CALL_PATIENT);
        assertThat(task.createdAt()).isEqualTo(chicago(2026, 4, 15, 10, 0));
        FollowUp f = fx.followUpOf(row);
        assertThat(f.state()).isEqualTo(FollowUpState.HANDED_TO_STAFF);
        assertThat(task.followUpId()).isEqualTo(f.id());
    }

    @Test
    void theRowsTheEngineCreatesHaveIdsThatStartWithTheEngineClocksTimeOfCreation() {
        // Time-ordered ids (UUID v7) are what keeps bulk inserts local in the database's indexes.
        EngineFixture fx = EngineFixture.create();
        Row row = patient(5);
        fx.ingestNew(row);
        fx.runFor(Duration.ofDays(7));

        FollowUp f = fx.followUpOf(row);
        assertThat(millisOfVersion7(f.id().value())).isEqualTo(f.createdAt().toEpochMilli());
        assertThat(millisOfVersion7(f.patientId().value())).isEqualTo(f.createdAt().toEpochMilli());
        List<SendAttempt> attempts = fx.attemptsOf(f);
        assertThat(attempts).hasSize(2).allSatisfy(a -> assertThat(millisOfVersion7(a.id())).isEqualTo(a.createdAt().toEpochMilli()));
        StaffTask task = onlyTask(fx);
        assertThat(millisOfVersion7(task.id().value())).isEqualTo(task.createdAt().toEpochMilli());
    }

    private static long millisOfVersion7(String id) {
        java.util.UUID uuid = java.util.UUID.fromString(id);
        assertThat(uuid.version()).as(id).isEqualTo(7);
        return uuid.getMostSignificantBits() >>> 16;
    }

    @Test
    void aFollowUpWhosePolicyIsNoLongerConfiguredRunsThePracticesCurrentPolicyForItsTypeToTheEnd() {
        EngineFixture fx = EngineFixture.create();
        Row silent = patient(21);
        Row stopping = patient(22);
        Row asking = patient(25);
        fx.ingestNew(silent, stopping, asking);
        runningARetiredPolicy(fx, silent);
        runningARetiredPolicy(fx, stopping);
        runningARetiredPolicy(fx, asking);

        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        fx.reply(stopping, "STOP");
        fx.reply(asking, "Can I bring my daughter along?"); // a reply the policy decides, unlike a STOP
        fx.runFor(Duration.ofDays(4));

        assertThat(fx.textsTo(silent)).hasSize(1);
        assertThat(fx.mailsTo(silent)).hasSize(1);
        assertThat(fx.openTasks()).extracting(t -> t.followUpId()).containsExactlyInAnyOrder(fx.followUpOf(silent).id(),
                fx.followUpOf(asking).id());
        assertThat(fx.followUpOf(stopping).state()).isEqualTo(FollowUpState.OPTED_OUT);
        assertThat(fx.mailsTo(stopping)).isEmpty();
    }

    /**
     * The provider refuses the deployment's credentials from 10:00 to 12:30: a settings problem,
     * nothing about the patient. The text waits, an hour at a time, and goes once the settings are
     * right; the step's retries for real failures (three) are not used up by it.
     */
    @Test
    void aTextRefusedForTheProvidersSettingsWaitsForThemToBePutRightWithoutUsingUpItsRetries() {
        java.util.concurrent.atomic.AtomicBoolean refusing = new java.util.concurrent.atomic.AtomicBoolean(true);
        EngineFixture fx = EngineFixture.builder().smsWrapper(sender -> sms -> {
            if (refusing.get()) {
                throw new dev.followup.InvalidConfigurationException("credentials refused by the provider");
            }
            return sender.send(sms);
        }).build();
        Row row = patient(23);
        fx.ingestNew(row);

        fx.runUntil(chicago(2026, 4, 13, 12, 30));
        refusing.set(false);
        fx.runUntil(chicago(2026, 4, 13, 23, 0));

        assertThat(fx.textsTo(row)).singleElement().satisfies(t -> assertThat(t.at()).isEqualTo(chicago(2026, 4, 13, 13, 0)));
        assertThat(fx.mailsTo(row)).as("no email on the day of the text").isEmpty();
    }

    /**
     * Settings that are never put right: hourly tries inside the window (10:00-14:00) for a day,
     * then the step's channel counts as failed and the email goes.
     */
    @Test
    void aStepRefusedForTheProvidersSettingsForADayMovesOnToTheNextChannel() {
        EngineFixture fx = EngineFixture.builder().smsWrapper(sender -> sms -> {
            throw new dev.followup.InvalidConfigurationException("credentials refused by the provider");
        }).build();
        Row row = patient(24);
        fx.ingestNew(row);

        fx.runFor(Duration.ofDays(3));

        assertThat(fx.textsTo(row)).isEmpty();
        assertThat(fx.attemptsFor(row, MessagePurpose.OUTREACH)).filteredOn(a -> a.channel() == Channel.SMS)
                .extracting(SendAttempt::createdAt).containsExactly(chicago(2026, 4, 13, 10, 0), chicago(2026, 4, 13, 11, 0),
                        chicago(2026, 4, 13, 12, 0), chicago(2026, 4, 13, 13, 0), chicago(2026, 4, 14, 10, 0));
        assertThat(fx.mailsTo(row)).singleElement().satisfies(m -> assertThat(m.at()).isEqualTo(chicago(2026, 4, 14, 10, 0)));
    }

    /**
     * A text to a number that does not exist (Twilio 21211) suppresses texting the patient. A week
     * later the list brings the same patient (MRN) with a corrected number and a new need: the
     * suppression was about the old number, so the new one is texted. A list that brings the same
     * wrong number again leaves the suppression as it is.
     */
    @Test
    void aNumberThatDidNotExistIsNoReasonNotToTextTheCorrectedOneALaterListBrings() {
        String wrong = "+13125550901";
        EngineFixture fx = EngineFixture.builder().smsWrapper(sender -> sms -> sms.to().e164().equals(wrong)
                ? SendResult.permanentFailure("21211", "not a valid number") : sender.send(sms)).build();
        fx.ingestNew(patient(26).phone(wrong), patient(27).phone(wrong).name("Pat27", "Other").mrn("T2027"));
        fx.runFor(Duration.ofDays(1));
        assertThat(fx.mailsTo(patient(26))).as("email at once when the number fails").hasSize(1);

        fx.runFor(Duration.ofDays(6));
        Row corrected = patient(26).type("Lab Review");
        fx.ingestNew(corrected, patient(27).phone(wrong).name("Pat27", "Other").mrn("T2027").type("Lab Review"));
        fx.runFor(Duration.ofDays(1));

        assertThat(fx.textsTo(corrected)).hasSize(1);
        assertThat(fx.auditEvents()).filteredOn(e -> e.type() == AuditType.CHANNEL_RESTORED).singleElement()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("channel", "SMS").containsEntry("reason", "address-changed"));
        assertThat(fx.attempts()).filteredOn(a -> a.channel() == Channel.SMS && a.state() == AttemptState.FAILED)
                .as("the patient whose list kept the wrong number is not texted again").hasSize(2);
    }

    /** As a follow-up created under a policy that a later configuration renamed or removed. */
    private static void runningARetiredPolicy(EngineFixture fx, Row row) {
        FollowUp f = fx.followUpOf(row);
        FollowUp retired = new FollowUp(f.id(), f.practiceId(), f.patientId(), f.provider(), f.type(), f.preferredWindow(), f.dueDate(),
                f.batchId(), f.needKey(), "post-op-v1", f.state(), f.nextStep(), f.nextActionAt(), f.createdAt(), f.firstContactAt(),
                f.lastOutreachChannel(), f.repliedAt(), f.respondedChannel(), f.closedAt(), f.offeredSlots(), f.slotOffers(), f.version() + 1);
        fx.store.inTransaction(PRACTICE_ID, tx -> {
            tx.updateFollowUp(retired);
            return null;
        });
    }

    @Test
    void aReplyCancelsTheLadder() {
        EngineFixture fx = EngineFixture.create();
        Row yes = patient(2);
        Row question = patient(3);
        fx.ingestNew(yes, question);
        fx.runUntil(chicago(2026, 4, 13, 12, 0));

        fx.reply(yes, "Yes");
        fx.reply(question, "what is this about?");
        fx.runFor(Duration.ofDays(7));

        assertThat(fx.mailsTo(yes)).isEmpty();
        assertThat(fx.mailsTo(question)).isEmpty();
        assertThat(fx.allTasks()).extracting(StaffTask::kind).doesNotContain(TaskKind.CALL_PATIENT);
    }

    @Test
    void aPatientWithoutEmailSkipsTheEmailStep() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(4).email("");
        fx.ingestNew(row);

        fx.runFor(Duration.ofDays(7));

        assertThat(fx.textsTo(row)).extracting(Text::at).containsExactly(chicago(2026, 4, 13, 10, 0));
        assertThat(fx.email.sent()).isEmpty();
        assertThat(onlyTask(fx).createdAt()).as("the task comes when due, 24 h after the SMS, not 48 h")
                .isEqualTo(chicago(2026, 4, 14, 10, 0));
    }

    @Test
    void aLandlineSkipsTheSmsStep() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(5).phone("+44 20 7946 0958");
        fx.ingestNew(row);

        fx.runFor(Duration.ofDays(7));

        assertThat(fx.texts).isEmpty();
        assertThat(fx.mailsTo(row)).extracting(Mail::at).containsExactly(chicago(2026, 4, 13, 10, 0));
        assertThat(onlyTask(fx).createdAt()).isEqualTo(chicago(2026, 4, 14, 10, 0));
    }

    @Test
    void aPermanentSmsFailureMovesToEmailAtOnceAndSuppressesSms() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(6);
        fx.sms.failNextWith(SendResult.permanentFailure("21614", "not a mobile number"));
        fx.ingestNew(row);

        fx.runUntil(chicago(2026, 4, 13, 12, 0));

        assertThat(fx.textsTo(row)).extracting(Text::at).containsExactly(chicago(2026, 4, 13, 10, 0));
        assertThat(fx.mailsTo(row)).as("at once, not after 24 h").extracting(Mail::at).containsExactly(chicago(2026, 4, 13, 10, 0));
        assertThat(fx.auditEvents()).filteredOn(e -> e.type() == AuditType.CHANNEL_SUPPRESSED).singleElement()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("channel", "SMS"));

        // A later need of the same patient is not texted to the failed number.
        fx.runUntil(chicago(2026, 4, 15, 9, 0));
        fx.ingestNew(row.type("Annual Exam"));
        fx.runFor(Duration.ofDays(7));
        assertThat(fx.textsTo(row)).hasSize(1);
        assertThat(fx.mailsTo(row)).hasSize(2);
        assertThat(fx.followUpsOf(row)).extracting(FollowUp::state).containsOnly(FollowUpState.HANDED_TO_STAFF);
    }

    @Test
    void aPermanentEmailFailureHandsOverAtOnce() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(7);
        fx.email.failAlwaysFor(EmailAddress.of(row.mail()), SendResult.permanentFailure("550", "mailbox unknown"));
        fx.ingestNew(row);

        fx.runUntil(chicago(2026, 4, 14, 12, 0));

        assertThat(fx.mailsTo(row)).extracting(Mail::at).containsExactly(chicago(2026, 4, 14, 10, 0));
        assertThat(onlyTask(fx).createdAt()).isEqualTo(chicago(2026, 4, 14, 10, 0));
    }

    @Test
    void transientFailuresAreRetriedWithBackoffThenTheNextChannel() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(8);
        for (int i = 0; i < 3; i++) {
            fx.sms.failNextWith(SendResult.transientFailure("20429", "too many requests", null));
        }
        fx.ingestNew(row);

        fx.runUntil(chicago(2026, 4, 13, 13, 0));

        assertThat(fx.textsTo(row)).extracting(Text::at)
                .containsExactly(chicago(2026, 4, 13, 10, 0), chicago(2026, 4, 13, 10, 5), chicago(2026, 4, 13, 10, 15));
        assertThat(fx.mailsTo(row)).extracting(Mail::at).containsExactly(chicago(2026, 4, 13, 10, 15));
        assertThat(fx.attemptsFor(row, MessagePurpose.OUTREACH)).extracting(SendAttempt::attemptNumber).containsExactly(1, 2, 3, 1);
    }

    @Test
    void theMaximumOfRetriesIsConfigurableAndTheProvidersHintIsFollowed() {
        EngineFixture fx = EngineFixture.builder().engine(b -> b.maxTransientRetries(2)).build();
        Row hinted = patient(9);
        fx.sms.failNextWith(SendResult.transientFailure("20429", "too many requests", Duration.ofMinutes(30)));
        fx.ingestNew(hinted);
        fx.runUntil(chicago(2026, 4, 13, 13, 0));
        assertThat(fx.textsTo(hinted)).extracting(Text::at).containsExactly(chicago(2026, 4, 13, 10, 0), chicago(2026, 4, 13, 10, 30));
        assertThat(fx.mailsTo(hinted)).isEmpty();

        Row twice = patient(10);
        fx.sms.failNextWith(SendResult.transientFailure("503", "unavailable", null));
        fx.sms.failNextWith(SendResult.transientFailure("503", "unavailable", null));
        fx.ingestNew(twice);
        fx.runUntil(chicago(2026, 4, 13, 13, 30));
        assertThat(fx.textsTo(twice)).hasSize(2);
        assertThat(fx.mailsTo(twice)).hasSize(1);
    }

    @Test
    void anUnknownResultCountsAsSentAndIsNotResent() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(11);
        fx.sms.failNextWith(SendResult.unknown("timeout", "read timed out"));
        fx.ingestNew(row);

        fx.runFor(Duration.ofDays(7));

        assertThat(fx.textsTo(row)).hasSize(1);
        assertThat(fx.attemptsFor(row, MessagePurpose.OUTREACH)).filteredOn(a -> a.channel() == Channel.SMS)
                .singleElement().satisfies(a -> assertThat(a.state()).isEqualTo(AttemptState.UNCONFIRMED));
        assertThat(fx.mailsTo(row)).extracting(Mail::at).containsExactly(chicago(2026, 4, 14, 10, 0));
    }

    @Test
    void anUndeliveredInvitationMovesToEmailAtOnce() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(12);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 10, 30));
        String providerId = fx.textsTo(row).get(0).result().providerMessageId();

        boolean applied = fx.engine.handleDeliveryUpdate(new DeliveryUpdate(PRACTICE_ID, null, providerId, DeliveryStatus.UNDELIVERED, "30003",
                fx.clock.instant()));
        fx.runUntil(chicago(2026, 4, 13, 13, 0));

        assertThat(applied).isTrue();
        assertThat(fx.mailsTo(row)).extracting(Mail::at).containsExactly(chicago(2026, 4, 13, 10, 30));
        fx.runFor(Duration.ofDays(3));
        assertThat(fx.textsTo(row)).hasSize(1);
        assertThat(onlyTask(fx).createdAt()).isEqualTo(chicago(2026, 4, 14, 10, 30));
    }
}
