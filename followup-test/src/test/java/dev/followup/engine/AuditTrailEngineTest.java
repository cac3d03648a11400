package dev.followup.engine;

import static dev.followup.engine.EngineFixture.PRACTICE_ID;
import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidInputException;
import dev.followup.audit.AuditEvent;
import dev.followup.audit.AuditRecord;
import dev.followup.audit.AuditType;
import dev.followup.audit.AuditVerification;
import dev.followup.engine.EngineFixture.Row;
import dev.followup.engine.EngineFixture.Text;
import dev.followup.spi.SendResult;
import dev.followup.task.TaskOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every communication and consent change is an audit event without PHI, and the hash chain catches tampering. */
class AuditTrailEngineTest {

    private static long count(List<AuditEvent> events, AuditType type) {
        return events.stream().filter(e -> e.type() == type).count();
    }

    /** A week with bookings, silence, an opt-out, HELP, a stranger, a failed send and a staff call. */
    private static EngineFixture busyWeek(Row... rows) {
        EngineFixture fx = EngineFixture.create();
        fx.ingestNew(rows);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        fx.reply(rows[0], "Yes");
        fx.clock.advance(Duration.ofMinutes(5));
        fx.reply(rows[0], "1");
        fx.reply(rows[2], "please stop texting me");
        fx.reply(rows[3], "HELP");
        fx.reply(rows[3], "STOP");
        fx.reply(rows[3], "START");
        fx.reply(PRACTICE_ID, "+13125550177", "HELP");
        fx.email.failNextWith(SendResult.permanentFailure("550", "mailbox unknown"));
        fx.runFor(Duration.ofDays(3));
        fx.engine.completeTask(PRACTICE_ID, fx.openTasks().get(0).id(), "alice", TaskOutcome.BOOKED);
        return fx;
    }

    @Test
    void everyMessageAndConsentChangeIsAnEventAndTheTrailVerifies() {
        Row[] rows = {patient(1), patient(2), patient(3), patient(4)};
        EngineFixture fx = busyWeek(rows);
        List<AuditEvent> events = fx.auditEvents();

        long accepted = fx.texts.stream().filter(t -> t.result().outcome() == SendResult.Outcome.ACCEPTED).count()
                + fx.mails.stream().filter(m -> m.result().outcome() == SendResult.Outcome.ACCEPTED).count();
        long refused = fx.mails.stream().filter(m -> m.result().outcome() != SendResult.Outcome.ACCEPTED).count();
        assertThat(accepted).as("4 invitations, offer, booking, opt-out confirmation, 2 HELP answers").isEqualTo(9);
        assertThat(refused).isEqualTo(1);
        assertThat(count(events, AuditType.MESSAGE_SENT)).isEqualTo(accepted);
        assertThat(count(events, AuditType.MESSAGE_FAILED)).isEqualTo(refused);
        assertThat(count(events, AuditType.MESSAGE_PREPARED)).isEqualTo(fx.texts.size() + fx.mails.size());
        assertThat(count(events, AuditType.MESSAGE_RECEIVED)).isEqualTo(7);
        // rows[2] opted out, rows[3] opted out and back in.
        assertThat(events).filteredOn(e -> e.type() == AuditType.CONSENT_CHANGED).extracting(e -> e.attributes().get("status"))
                .containsExactly("OPTED_OUT", "OPTED_OUT", "OPTED_IN");
        assertThat(count(events, AuditType.APPOINTMENT_BOOKED)).isEqualTo(1);
        assertThat(count(events, AuditType.TASK_OPENED)).isEqualTo(count(events, AuditType.TASK_COMPLETED) + fx.openTasks().size());

        AuditVerification verification = fx.engine.verifyAuditTrail(PRACTICE_ID);
        assertThat(verification.isIntact()).isTrue();
        assertThat(verification.eventsChecked()).isEqualTo(events.size());
        assertThat(verification.headHash()).isEqualTo(events.get(events.size() - 1).hash());
    }

    /**
     * An auditor keeps the head (sequence and hash) of an earlier verification elsewhere; later the
     * engine says whether the trail still holds it unchanged, however much it grew since.
     */
    @Test
    void aHeadRecordedElsewhereIsCheckedThroughTheEngine() {
        EngineFixture fx = EngineFixture.create();
        assertThat(fx.engine.verifyAuditTrail(PRACTICE_ID, 0, AuditEvent.GENESIS).isIntact()).as("an empty trail holds the genesis head").isTrue();
        Row[] rows = {patient(31), patient(32)};
        fx.ingestNew(rows);
        AuditVerification recorded = fx.engine.verifyAuditTrail(PRACTICE_ID);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        fx.reply(rows[0], "STOP");

        AuditVerification later = fx.engine.verifyAuditTrail(PRACTICE_ID, recorded.eventsChecked(), recorded.headHash());

        assertThat(later.isIntact()).isTrue();
        assertThat(later.eventsChecked()).isGreaterThan(recorded.eventsChecked());
        AuditVerification otherHead = fx.engine.verifyAuditTrail(PRACTICE_ID, recorded.eventsChecked(), later.headHash());
        assertThat(otherHead.isIntact()).isFalse();
        assertThat(otherHead.firstBrokenSequence()).isEqualTo(recorded.eventsChecked());
        assertThat(otherHead.firstProblem()).get().asString().contains("recorded elsewhere");
        AuditVerification beyond = fx.engine.verifyAuditTrail(PRACTICE_ID, later.eventsChecked() + 3, later.headHash());
        assertThat(beyond.isIntact()).as("a head the trail has lost, with its last events").isFalse();
        assertThat(beyond.firstBrokenSequence()).isEqualTo(later.eventsChecked() + 1);
        assertThatThrownBy(() -> fx.engine.verifyAuditTrail(PRACTICE_ID, -1, AuditEvent.GENESIS)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void noEventCarriesPhi() {
        Row[] rows = {patient(11), patient(12), patient(13), patient(14)};
        EngineFixture fx = busyWeek(rows);
        List<String> phi = new ArrayList<>();
        for (Row r : rows) {
            phi.addAll(List.of(r.phone(), r.phone().substring(2), r.mail(), r.first(), r.mrn()));
        }
        phi.add("+13125550177");
        fx.texts.stream().map(Text::body).forEach(phi::add);
        phi.add("please stop texting me");

        for (AuditEvent e : fx.auditEvents()) {
            String text = e.actor() + " " + e.attributes() + " " + e;
            for (String value : phi) {
                assertThat(text).as("audit event %d (%s)", e.sequence(), e.type()).doesNotContain(value);
            }
        }
    }

    @Test
    void aChangedRemovedOrReorderedEventIsDetected() {
        EngineFixture fx = busyWeek(patient(21), patient(22), patient(23), patient(24));
        List<AuditEvent> events = fx.auditEvents();
        assertThat(AuditVerification.of(events).isIntact()).isTrue();
        int victim = (int) events.stream().filter(e -> e.type() == AuditType.CONSENT_CHANGED).findFirst().orElseThrow().sequence() - 1;

        // Changed: someone turns an opt-out into an opt-in after the fact.
        List<AuditEvent> changed = new ArrayList<>(events);
        AuditEvent e = changed.get(victim);
        Map<String, String> forged = new HashMap<>(e.attributes());
        forged.put("status", "OPTED_IN");
        changed.set(victim, new AuditEvent(e.practiceId(), e.sequence(), e.type(), e.actor(), e.followUpId(), e.patientId(), forged,
                e.occurredAt(), e.previousHash(), e.hash()));
        AuditVerification broken = AuditVerification.of(changed);
        assertThat(broken.isIntact()).isFalse();
        assertThat(broken.firstBrokenSequence()).isEqualTo(e.sequence());

        // Removed.
        List<AuditEvent> removed = new ArrayList<>(events);
        removed.remove(victim);
        assertThat(AuditVerification.of(removed).firstBrokenSequence()).isEqualTo(e.sequence());

        // Reordered.
        List<AuditEvent> reordered = new ArrayList<>(events);
        reordered.set(victim, events.get(victim + 1));
        reordered.set(victim + 1, events.get(victim));
        assertThat(AuditVerification.of(reordered).isIntact()).isFalse();

        // Rewritten from the forged event on, with fresh hashes: the chain holds, the head kept elsewhere does not.
        AuditVerification honest = AuditVerification.of(events);
        List<AuditEvent> rewritten = new ArrayList<>(events.subList(0, victim));
        for (int i = victim; i < events.size(); i++) {
            AuditEvent original = events.get(i);
            Map<String, String> attributes = i == victim ? forged : original.attributes();
            rewritten.add(AuditEvent.chain(PRACTICE_ID, rewritten.isEmpty() ? null : rewritten.get(rewritten.size() - 1),
                    new AuditRecord(original.type(), original.actor(), original.followUpId(), original.patientId(), attributes,
                            original.occurredAt())));
        }
        assertThat(AuditVerification.of(rewritten).isIntact()).isTrue();
        assertThat(AuditVerification.of(rewritten, honest.eventsChecked(), honest.headHash()).isIntact()).isFalse();
        assertThat(AuditVerification.of(events, honest.eventsChecked(), honest.headHash()).isIntact()).isTrue();
    }
}
