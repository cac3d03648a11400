package dev.followup.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidInputException;
import dev.followup.practice.PracticeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditVerificationTest {
    private final PracticeId practice = PracticeId.of("p1");

    private List<AuditEvent> trail(int n) {
        List<AuditEvent> events = new ArrayList<>();
        AuditEvent head = null;
        for (int i = 0; i < n; i++) {
            head = AuditEvent.chain(practice, head, new AuditRecord(AuditType.MESSAGE_SENT, "engine", null, null,
                    Map.of("attempt", "a" + i), Instant.parse("2026-03-02T15:00:00Z").plusSeconds(i)));
            events.add(head);
        }
        return events;
    }

    @Test
    void anIntactTrailVerifies() {
        List<AuditEvent> events = trail(5);
        AuditVerification v = AuditVerification.of(events);
        assertThat(v.isIntact()).isTrue();
        assertThat(v.eventsChecked()).isEqualTo(5);
        assertThat(v.headHash()).isEqualTo(events.get(4).hash());
        assertThat(AuditVerification.of(List.of()).headHash()).isEqualTo(AuditEvent.GENESIS);
    }

    @Test
    void aChangedEventIsDetected() {
        List<AuditEvent> events = trail(5);
        AuditEvent e = events.get(2);
        events.set(2, new AuditEvent(e.practiceId(), e.sequence(), AuditType.MESSAGE_FAILED, e.actor(), e.followUpId(), e.patientId(),
                e.attributes(), e.occurredAt(), e.previousHash(), e.hash()));
        AuditVerification v = AuditVerification.of(events);
        assertThat(v.isIntact()).isFalse();
        assertThat(v.firstBrokenSequence()).isEqualTo(3L);
        assertThat(v.firstProblem()).get().asString().contains("changed");
    }

    @Test
    void aRemovedEventIsDetected() {
        List<AuditEvent> events = trail(5);
        events.remove(1);
        assertThat(AuditVerification.of(events).firstBrokenSequence()).isEqualTo(2L);
    }

    @Test
    void reorderedEventsAreDetected() {
        List<AuditEvent> events = trail(5);
        Collections.swap(events, 1, 3);
        assertThat(AuditVerification.of(events).isIntact()).isFalse();
    }

    @Test
    void aRewrittenTailIsDetectedAgainstAHeadKeptElsewhere() {
        List<AuditEvent> events = trail(5);
        String headKeptElsewhere = events.get(3).hash();
        List<AuditEvent> rewritten = trail(3);
        AuditEvent head = rewritten.get(2);
        for (int i = 3; i < 5; i++) {
            head = AuditEvent.chain(practice, head, new AuditRecord(AuditType.MESSAGE_SENT, "engine", null, null, Map.of("attempt", "forged" + i),
                    Instant.parse("2026-03-02T15:00:00Z").plusSeconds(i)));
            rewritten.add(head);
        }
        assertThat(AuditVerification.of(rewritten).isIntact()).isTrue();
        assertThat(AuditVerification.of(rewritten, 4, headKeptElsewhere).isIntact()).isFalse();
        assertThat(AuditVerification.of(events, 4, headKeptElsewhere).isIntact()).isTrue();
    }

    @Test
    void anEmptyTrailHoldsTheGenesisHead() {
        assertThat(AuditVerification.of(List.of(), 0, AuditEvent.GENESIS).isIntact()).isTrue();
        assertThat(AuditVerification.of(List.of(), AuditHead.EMPTY).isIntact()).isTrue();
        assertThat(AuditVerification.of(trail(3), 0, AuditEvent.GENESIS).isIntact()).as("every trail grows from the genesis head").isTrue();
    }

    @Test
    void aHeadNoTrailCanHaveIsRefused() {
        assertThatThrownBy(() -> AuditVerification.of(trail(2), -1, AuditEvent.GENESIS)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> AuditVerification.of(trail(2), 0, trail(1).get(0).hash())).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aTrailWhoseLastEventsWereDeletedFallsShortOfItsStoredHead() {
        List<AuditEvent> events = trail(13);
        AuditHead storedHead = AuditHead.of(events.get(12));
        assertThat(AuditVerification.of(events, storedHead).isIntact()).isTrue();

        AuditVerification cut = AuditVerification.of(events.subList(0, 10), storedHead);

        assertThat(AuditVerification.of(events.subList(0, 10)).isIntact()).as("what is left is still a valid chain").isTrue();
        assertThat(cut.isIntact()).isFalse();
        assertThat(cut.firstBrokenSequence()).isEqualTo(11L);
        assertThat(cut.firstProblem()).get().asString().contains("ends at event 10").contains("event 13");
        AuditVerification emptied = AuditVerification.of(List.of(), storedHead);
        assertThat(emptied.isIntact()).isFalse();
        assertThat(emptied.firstBrokenSequence()).isEqualTo(1L);
    }

    @Test
    void aStoredHeadWithAnotherHashOrEventsAppendedAfterItAreToldApart() {
        List<AuditEvent> events = trail(5);
        AuditVerification otherHash = AuditVerification.of(events, new AuditHead(5, trail(6).get(5).hash()));
        assertThat(otherHash.isIntact()).isFalse();
        assertThat(otherHash.firstBrokenSequence()).isEqualTo(5L);
        assertThat(AuditVerification.of(events, AuditHead.of(events.get(3))).isIntact())
                .as("appended after the head was read, by another transaction").isTrue();
    }

    @Test
    void theKnownHeadIsCheckedAfterTheStoredOne() {
        List<AuditEvent> events = trail(5);
        String known = events.get(3).hash();
        assertThat(AuditVerification.of(events, AuditHead.of(events.get(4)), 4, known).isIntact()).isTrue();
        AuditVerification cut = AuditVerification.of(events.subList(0, 3), AuditHead.of(events.get(4)), 4, known);
        assertThat(cut.firstBrokenSequence()).as("the stored head's break comes first").isEqualTo(4L);
        assertThat(cut.firstProblem()).get().asString().contains("store's head");
        AuditVerification forged = AuditVerification.of(events, AuditHead.of(events.get(4)), 4, "f".repeat(64));
        assertThat(forged.isIntact()).isFalse();
        assertThat(forged.firstBrokenSequence()).isEqualTo(4L);
        assertThat(forged.firstProblem()).get().asString().contains("recorded elsewhere");
    }

    @Test
    void freeTextCannotEnterAnAuditRecord() {
        assertThatThrownBy(() -> new AuditRecord(AuditType.MESSAGE_RECEIVED, "engine", null, null, Map.of("body", "Please stop texting me"),
                Instant.EPOCH)).isInstanceOf(InvalidInputException.class).hasMessageNotContaining("stop texting");
    }
}
