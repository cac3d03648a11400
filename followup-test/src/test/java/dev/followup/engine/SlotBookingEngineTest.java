package dev.followup.engine;

import static dev.followup.engine.EngineFixture.CHICAGO;
import static dev.followup.engine.EngineFixture.PRACTICE_ID;
import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.PracticeSettings;
import dev.followup.audit.AuditType;
import dev.followup.conversation.InboundResult;
import dev.followup.engine.EngineFixture.Row;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpState;
import dev.followup.message.MessagePurpose;
import dev.followup.policy.EscalationPolicy;
import dev.followup.policy.Steps;
import dev.followup.report.WeeklyReport;
import dev.followup.scheduling.Slot;
import dev.followup.spi.AppointmentBooker;
import dev.followup.spi.SlotProvider;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskKind;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** YES leads to open slots in the patient's preferred window; a number books; taken slots, failed bookings and silence. */
class SlotBookingEngineTest {

    /** A patient who prefers Thursday afternoons, invited on Monday at 10:00, who says YES at 11:00. */
    private static FollowUp engaged(EngineFixture fx, Row row) {
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        InboundResult result = fx.reply(row, "Yes please");
        assertThat(result.action()).isEqualTo(InboundResult.Action.SLOTS_OFFERED);
        FollowUp f = fx.followUpOf(row);
        assertThat(f.state()).isEqualTo(FollowUpState.ENGAGED);
        return f;
    }

    private static String formatted(Slot slot) {
        return DateTimeFormatter.ofPattern("EEE MMM d h:mm a", Locale.US).format(slot.start().atZone(CHICAGO));
    }

    @Test
    void yesOffersThreeSlotsInThePreferredWindow() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(1).window("Thursday afternoons");

        FollowUp f = engaged(fx, row);

        assertThat(f.offeredSlots()).hasSize(3).allSatisfy(slot -> {
            ZonedDateTime start = slot.start().atZone(CHICAGO);
            assertThat(start.getDayOfWeek()).isEqualTo(DayOfWeek.THURSDAY);
            assertThat(start.toLocalTime()).isBetween(LocalTime.NOON, LocalTime.of(16, 59));
            assertThat(f.preferredWindow().contains(slot, CHICAGO)).isTrue();
        });
        String offer = fx.textsTo(row).get(1).body();
        for (int i = 0; i < 3; i++) {
            assertThat(offer).contains((i + 1) + ") " + formatted(f.offeredSlots().get(i)));
        }
        assertThat(fx.attemptsFor(row, MessagePurpose.SLOT_OFFER)).hasSize(1);
    }

    @Test
    void aSlotNumberBooksItAndConfirms() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(2).window("Weekday mornings");
        Slot second = engaged(fx, row).offeredSlots().get(1);
        fx.clock.advance(Duration.ofMinutes(10));

        InboundResult result = fx.reply(row, "2");

        assertThat(result.action()).isEqualTo(InboundResult.Action.BOOKED);
        FollowUp f = fx.followUpOf(row);
        assertThat(f.state()).isEqualTo(FollowUpState.BOOKED);
        assertThat(f.respondedChannel()).isEqualTo(Channel.SMS);
        assertThat(fx.scheduling.bookingCount()).isEqualTo(1);
        assertThat(fx.textsTo(row)).hasSize(3);
        assertThat(fx.textsTo(row).get(2).body()).contains(formatted(second));
        assertThat(fx.attemptsFor(row, MessagePurpose.BOOKING_CONFIRMATION)).hasSize(1);
        fx.runFor(Duration.ofDays(7));
        assertThat(fx.mailsTo(row)).isEmpty();
        assertThat(fx.openTasks()).isEmpty();
        WeeklyReport report = fx.engine.weeklyReport(PRACTICE_ID, LocalDate.of(2026, 4, 13));
        assertThat(report.booked()).isEqualTo(1);
        assertThat(report.channel(Channel.SMS).booked()).isEqualTo(1);
    }

    @Test
    void aSlotTakenMeanwhileGetsAFreshOffer() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(3);
        Slot first = engaged(fx, row).offeredSlots().get(0);
        fx.scheduling.takeBySomeoneElse(first.id());

        InboundResult result = fx.reply(row, "1");

        assertThat(result.action()).isEqualTo(InboundResult.Action.SLOTS_OFFERED);
        FollowUp f = fx.followUpOf(row);
        assertThat(f.state()).isEqualTo(FollowUpState.ENGAGED);
        assertThat(f.offeredSlots()).hasSize(3).extracting(Slot::id).doesNotContain(first.id());
        assertThat(fx.textsTo(row)).hasSize(3);
        assertThat(fx.textsTo(row).get(2).body()).contains("just taken").contains("1) " + formatted(f.offeredSlots().get(0)));

        assertThat(fx.reply(row, "1").action()).isEqualTo(InboundResult.Action.BOOKED);
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.BOOKED);
        assertThat(fx.scheduling.bookingCount()).isEqualTo(1);
    }

    /**
     * A STOP that arrives while the slots for a YES are looked up wins: the offer, written against
     * the follow-up as the YES left it, finds it closed, offers nothing and sends nothing.
     */
    @Test
    void aStopWhileTheSlotsAreLookedUpLeavesNothingOffered() {
        AtomicReference<EngineFixture> fixture = new AtomicReference<>();
        Row row = patient(9);
        AtomicBoolean stopSent = new AtomicBoolean();
        SlotProvider stopDuringLookup = query -> {
            if (stopSent.compareAndSet(false, true)) {
                assertThat(fixture.get().reply(row, "STOP").action()).isEqualTo(InboundResult.Action.OPTED_OUT);
            }
            return fixture.get().scheduling.openSlots(query);
        };
        EngineFixture fx = EngineFixture.builder().engine(b -> b.slotProvider(stopDuringLookup)).build();
        fixture.set(fx);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        InboundResult result = fx.reply(row, "Yes please");

        assertThat(result.action()).as("nothing was offered").isEqualTo(InboundResult.Action.RECORDED);
        assertThat(stopSent).isTrue();
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.OPTED_OUT);
        assertThat(fx.followUpOf(row).offeredSlots()).isEmpty();
        assertThat(fx.attemptsFor(row, MessagePurpose.SLOT_OFFER)).isEmpty();
        assertThat(fx.openTasks()).isEmpty();
    }

    /**
     * A STOP that arrives while a chosen slot is booked wins too: the booking's record, written
     * against the follow-up as the choice left it, finds it closed and confirms nothing. The
     * scheduling system holds the appointment all the same, so the trail records the booking and
     * a person is asked to confirm or cancel it.
     */
    @Test
    void aStopWhileASlotIsBookedConfirmsNothing() {
        Row row = patient(10);
        EngineFixture fx = engagedWithAStopDuringBooking(row, false);

        InboundResult result = fx.reply(row, "1");

        assertThat(result.action()).isEqualTo(InboundResult.Action.TASK_OPENED);
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.OPTED_OUT);
        assertThat(fx.attemptsFor(row, MessagePurpose.BOOKING_CONFIRMATION)).isEmpty();
        assertThat(fx.scheduling.bookingCount()).isEqualTo(1);
        assertThat(fx.auditEvents()).filteredOn(e -> e.type() == AuditType.APPOINTMENT_BOOKED).singleElement()
                .satisfies(e -> assertThat(e.followUpId()).isEqualTo(fx.followUpOf(row).id()));
        assertThat(fx.openTasks()).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(TaskKind.REVIEW_REPLY);
            assertThat(t.followUpId()).isEqualTo(fx.followUpOf(row).id());
        });
    }

    /**
     * @param refused whether the scheduling system then refuses the booking
     * @return an engine whose patient {@code row} has slots offered, and whose booker first has
     *     that patient text STOP, then books
     */
    private EngineFixture engagedWithAStopDuringBooking(Row row, boolean refused) {
        AtomicReference<EngineFixture> fixture = new AtomicReference<>();
        AppointmentBooker stopDuringBooking = request -> {
            assertThat(fixture.get().reply(row, "STOP").action()).isEqualTo(InboundResult.Action.OPTED_OUT);
            fixture.get().scheduling.failBookings(refused);
            return fixture.get().scheduling.book(request);
        };
        EngineFixture fx = EngineFixture.builder().engine(b -> b.appointmentBooker(stopDuringBooking)).build();
        fixture.set(fx);
        engaged(fx, row);
        return fx;
    }

    /** A booking the scheduling system refused while a STOP closed the follow-up leaves nothing to do: no task, no text. */
    @Test
    void aStopWhileABookingFailsOpensNothing() {
        Row row = patient(11);
        EngineFixture fx = engagedWithAStopDuringBooking(row, true);

        InboundResult result = fx.reply(row, "1");

        assertThat(result.action()).isEqualTo(InboundResult.Action.RECORDED);
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.OPTED_OUT);
        assertThat(fx.attemptsFor(row, MessagePurpose.NO_SLOTS)).isEmpty();
        assertThat(fx.openTasks()).isEmpty();
    }

    @Test
    void aFailedBookingBecomesAStaffTask() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(4);
        engaged(fx, row);
        fx.scheduling.failBookings(true);

        InboundResult result = fx.reply(row, "3");

        assertThat(result.action()).isEqualTo(InboundResult.Action.TASK_OPENED);
        assertThat(fx.openTasks()).singleElement().satisfies(t -> assertThat(t.kind()).isEqualTo(TaskKind.BOOKING_FAILED));
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.HANDED_TO_STAFF);
        assertThat(fx.attemptsFor(row, MessagePurpose.NO_SLOTS)).as("the patient is told staff will call").hasSize(1);
        assertThat(fx.scheduling.bookingCount()).isZero();
    }

    @Test
    void noChoiceWithinTheTimeoutGoesToStaff() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(5);
        engaged(fx, row);

        fx.runUntil(chicago(2026, 4, 14, 10, 59));
        assertThat(fx.openTasks()).isEmpty();
        fx.runFor(Duration.ofDays(3));

        StaffTask task = fx.openTasks().get(0);
        assertThat(fx.openTasks()).hasSize(1);
        assertThat(task.kind()).isEqualTo(TaskKind.SCHEDULE_MANUALLY);
        assertThat(task.createdAt()).as("24 h after the offer").isEqualTo(chicago(2026, 4, 14, 11, 0));
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.HANDED_TO_STAFF);
        assertThat(fx.mailsTo(row)).isEmpty();
    }

    @Test
    void aPatientWhoSaidYesIsHandedToStaffEvenWhenTheDueDatePassedWhileTheyChose() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(12).due("2026-04-13");
        engaged(fx, row);

        fx.runFor(Duration.ofDays(2));

        assertThat(fx.openTasks()).singleElement().satisfies(t -> assertThat(t.kind()).isEqualTo(TaskKind.SCHEDULE_MANUALLY));
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.HANDED_TO_STAFF);
    }

    @Test
    void theChoiceTimeoutIsThePolicys() {
        EngineFixture fx = EngineFixture.builder()
                .policy(EscalationPolicy.from(EscalationPolicy.standard()).named("quick-choice").choiceTimeout(Duration.ofHours(3)).build())
                .settings(PracticeSettings.defaults().withDefaultPolicy("quick-choice")).build();
        Row row = patient(6);
        engaged(fx, row);

        fx.runFor(Duration.ofDays(1));

        assertThat(fx.openTasks()).singleElement().satisfies(t -> assertThat(t.createdAt()).isEqualTo(chicago(2026, 4, 13, 14, 0)));
    }

    @Test
    void aPolicyThatAnswersYesWithAStaffTaskOffersNoSlots() {
        EngineFixture fx = EngineFixture.builder()
                .policy(EscalationPolicy.from(EscalationPolicy.standard()).named("yes-to-desk")
                        .onYes(Steps.staffTask(TaskKind.SCHEDULE_MANUALLY)).build())
                .settings(PracticeSettings.defaults().withDefaultPolicy("yes-to-desk")).build();
        Row row = patient(7);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        InboundResult result = fx.reply(row, "YES");

        assertThat(result.action()).isEqualTo(InboundResult.Action.TASK_OPENED);
        assertThat(fx.openTasks()).singleElement().satisfies(t -> assertThat(t.kind()).isEqualTo(TaskKind.SCHEDULE_MANUALLY));
        assertThat(fx.attemptsFor(row, MessagePurpose.SLOT_OFFER)).isEmpty();
        assertThat(fx.followUpOf(row).offeredSlots()).isEmpty();
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.HANDED_TO_STAFF);
    }

    @Test
    void theStaffTaskAYesLeadsToIsTheOneThePolicyNames() {
        EngineFixture fx = EngineFixture.builder()
                .policy(EscalationPolicy.from(EscalationPolicy.standard()).named("yes-call-back")
                        .onYes(Steps.staffTask(TaskKind.CALL_PATIENT)).build())
                .settings(PracticeSettings.defaults().withDefaultPolicy("yes-call-back")).build();
        Row row = patient(8);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        fx.reply(row, "YES");

        assertThat(fx.openTasks()).extracting(StaffTask::kind).containsExactly(TaskKind.CALL_PATIENT);
    }

    @Test
    void withoutASchedulingSystemAYesGoesToStaff() {
        EngineFixture fx = EngineFixture.builder().withoutScheduling().build();
        Row row = patient(9);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        assertThat(fx.reply(row, "YES").action()).isEqualTo(InboundResult.Action.TASK_OPENED);

        assertThat(fx.openTasks()).extracting(StaffTask::kind).containsExactly(TaskKind.SCHEDULE_MANUALLY);
        assertThat(fx.attemptsFor(row, MessagePurpose.NO_SLOTS)).hasSize(1);
        List<String> bodies = fx.textsTo(row).stream().map(EngineFixture.Text::body).toList();
        assertThat(bodies).hasSize(2);
    }
}
