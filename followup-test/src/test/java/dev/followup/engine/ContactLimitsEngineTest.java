package dev.followup.engine;

import static dev.followup.engine.EngineFixture.CHICAGO;
import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.engine.EngineFixture.Row;
import dev.followup.engine.EngineFixture.Text;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpState;
import dev.followup.message.MessagePurpose;
import dev.followup.message.SendAttempt;
import dev.followup.practice.ContactLimits;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** At most one outreach a day and three a week per patient, across the follow-ups of a practice; replies are not capped. */
class ContactLimitsEngineTest {

    private static List<Instant> outreachTimes(EngineFixture fx, Row row) {
        return fx.attemptsFor(row, MessagePurpose.OUTREACH).stream().filter(a -> a.state().countsAsSent())
                .map(SendAttempt::createdAt).sorted().toList();
    }

    @Test
    void aPatientWithThreeFollowUpsGetsAtMostOneMessageADayAndThreeAWeek() {
        EngineFixture fx = EngineFixture.create();
        Row postOp = patient(1);
        Row annual = postOp.type("Annual Exam");
        Row therapy = postOp.type("Physical Therapy");
        fx.ingestNew(postOp, annual, therapy);

        fx.runFor(Duration.ofDays(28));

        List<Instant> sent = outreachTimes(fx, postOp);
        assertThat(sent).as("three invitations and three reminders").hasSize(6);
        assertThat(fx.textsTo(postOp)).hasSize(3);
        assertThat(fx.mailsTo(postOp)).hasSize(3);
        Map<LocalDate, Long> perDay = sent.stream().collect(Collectors.groupingBy(t -> t.atZone(CHICAGO).toLocalDate(), Collectors.counting()));
        assertThat(perDay.values()).as("per local day").allMatch(n -> n == 1);
        for (Instant from : sent) {
            long inWeek = sent.stream().filter(t -> !t.isBefore(from) && t.isBefore(from.plus(Duration.ofDays(7)))).count();
            assertThat(inWeek).as("messages in the week from %s", from).isLessThanOrEqualTo(3);
        }
        List<LocalDate> invitationDays = fx.textsTo(postOp).stream().map(t -> t.at().atZone(CHICAGO).toLocalDate()).toList();
        assertThat(invitationDays).doesNotHaveDuplicates().first().isEqualTo(LocalDate.of(2026, 4, 13));
        assertThat(fx.followUpsOf(postOp)).hasSize(3).extracting(FollowUp::state).containsOnly(FollowUpState.HANDED_TO_STAFF);
    }

    @Test
    void aFamilySharingOnePhoneIsOneRecipient() {
        EngineFixture fx = EngineFixture.create();
        Row parent = patient(4);
        Row child = patient(5).phone(parent.phone()).name("Kid", "Family");
        fx.ingestNew(parent, child);

        fx.runFor(Duration.ofDays(28));

        // The limit of one outreach a day counts the family's messages together, though each patient could have one.
        List<Instant> sent = new java.util.ArrayList<>(outreachTimes(fx, parent));
        List<Instant> toChild = outreachTimes(fx, child);
        assertThat(toChild).as("the second patient is reached too, on other days").isNotEmpty();
        sent.addAll(toChild);
        Map<LocalDate, Long> perDay = sent.stream().collect(Collectors.groupingBy(t -> t.atZone(CHICAGO).toLocalDate(), Collectors.counting()));
        assertThat(perDay.values()).as("family outreach per local day").allMatch(n -> n == 1);
        assertThat(outreachTimes(fx, parent)).first().isEqualTo(chicago(2026, 4, 13, 10, 0));
    }

    @Test
    void theSecondFollowUpWaitsForTheNextDay() {
        EngineFixture fx = EngineFixture.create();
        Row postOp = patient(2);
        Row annual = postOp.type("Annual Exam");
        fx.ingestNew(postOp, annual);

        fx.runUntil(chicago(2026, 4, 13, 23, 0));

        assertThat(fx.textsTo(postOp)).extracting(Text::at).containsExactly(chicago(2026, 4, 13, 10, 0));
        assertThat(fx.followUpsOf(postOp)).filteredOn(f -> f.state() == FollowUpState.PENDING).singleElement()
                .satisfies(f -> assertThat(f.nextActionAt()).isEqualTo(chicago(2026, 4, 14, 10, 0)));
    }

    @Test
    void repliesToThePatientAreNotCapped() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(3);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        fx.reply(row, "HELP");
        fx.reply(row, "YES");
        fx.clock.advance(Duration.ofMinutes(5));
        fx.reply(row, "1");

        assertThat(fx.textsTo(row)).hasSize(4).allSatisfy(t -> assertThat(t.at().atZone(CHICAGO).toLocalDate()).isEqualTo(LocalDate.of(2026, 4, 13)));
        assertThat(fx.attemptsFor(row, MessagePurpose.SLOT_OFFER)).hasSize(1);
        assertThat(fx.attemptsFor(row, MessagePurpose.BOOKING_CONFIRMATION)).hasSize(1);
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.BOOKED);
    }

    @Test
    void theLimitsAreConfigurable() {
        EngineFixture fx = EngineFixture.builder().practice(b -> b.contactLimits(new ContactLimits(2, 5))).build();
        Row postOp = patient(4);
        Row annual = postOp.type("Annual Exam");
        Row therapy = postOp.type("Physical Therapy");
        fx.ingestNew(postOp, annual, therapy);

        fx.runUntil(chicago(2026, 4, 13, 23, 0));

        assertThat(fx.textsTo(postOp)).extracting(Text::at).containsExactly(chicago(2026, 4, 13, 10, 0), chicago(2026, 4, 13, 10, 0));
        fx.runFor(Duration.ofDays(21));
        List<Instant> sent = outreachTimes(fx, postOp);
        for (Instant from : sent) {
            assertThat(sent.stream().filter(t -> !t.isBefore(from) && t.isBefore(from.plus(Duration.ofDays(7)))).count()).isLessThanOrEqualTo(5);
        }
        Map<LocalDate, Long> perDay = sent.stream().collect(Collectors.groupingBy(t -> t.atZone(CHICAGO).toLocalDate(), Collectors.counting()));
        assertThat(perDay.values()).allMatch(n -> n <= 2);
        assertThat(sent).hasSize(6);
    }

    /**
     * A text decided alone is recorded in its decision's transaction, so that transaction takes the
     * recipient's lock before it counts their outreach: a concurrent text to the same family then
     * waits for it and counts it (the lock itself is shown in the store tests).
     */
    @Test
    void aTextDecidedAloneCountsTheLimitsUnderTheRecipientsLock() {
        List<String> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        EngineFixture fx = EngineFixture.builder().engine(b -> b.batchSize(1))
                .storeWrapper(EngineFixture.beforeEachCall((method, args) -> calls.add(method.getName()))).build();
        Row row = patient(5);
        fx.ingestNew(row);
        calls.clear();

        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        assertThat(fx.textsTo(row)).hasSize(1);
        assertThat(calls).containsSubsequence("lockRecipient", "outreachCounts", "insertAttempt");
    }
}
