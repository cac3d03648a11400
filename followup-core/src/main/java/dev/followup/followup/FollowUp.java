package dev.followup.followup;

import dev.followup.IllegalTransitionException;
import dev.followup.InvalidInputException;
import dev.followup.patient.PatientId;
import dev.followup.practice.PracticeId;
import dev.followup.practice.Provider;
import dev.followup.scheduling.PreferredWindow;
import dev.followup.scheduling.Slot;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One outreach case: a patient of a practice who needs a follow-up visit, the policy that runs it,
 * and where it stands. Immutable: every transition is a method that validates the move and returns
 * the next version; stores persist it with optimistic locking on {@link #version()}.
 *
 * <p>The attribution fields ({@code firstContactAt}, {@code repliedAt}, {@code respondedChannel},
 * {@code closedAt}) are kept on the case so that reports are plain aggregates.
 *
 * @param id the case's id
 * @param practiceId the practice it belongs to
 * @param patientId the patient
 * @param provider the provider who recommends the visit
 * @param type the kind of visit
 * @param preferredWindow when the patient prefers to be seen
 * @param dueDate the date by which the visit should happen, if known; the case expires after it
 * @param batchId the ingested list it came from
 * @param needKey identifies the patient's need across imports, so that a re-import adds nothing
 * @param policyName the escalation policy that runs it
 * @param state where it stands
 * @param nextStep index of the next step of the policy's ladder
 * @param nextActionAt when the engine acts on it next; null when nothing is scheduled
 * @param createdAt when it was ingested
 * @param firstContactAt when the first outreach was sent
 * @param lastOutreachChannel the channel of the latest outreach
 * @param repliedAt when the patient first replied
 * @param respondedChannel the outreach channel the reply is attributed to
 * @param closedAt when it reached a terminal state
 * @param offeredSlots the slots offered and not yet taken
 * @param slotOffers how many slot offers were made
 * @param version optimistic-locking version, incremented by every transition
 */
public record FollowUp(
        FollowUpId id,
        PracticeId practiceId,
        PatientId patientId,
        Provider provider,
        FollowUpType type,
        PreferredWindow preferredWindow,
        @Nullable LocalDate dueDate,
        BatchId batchId,
        String needKey,
        String policyName,
        FollowUpState state,
        int nextStep,
        @Nullable Instant nextActionAt,
        Instant createdAt,
        @Nullable Instant firstContactAt,
        @Nullable Channel lastOutreachChannel,
        @Nullable Instant repliedAt,
        @Nullable Channel respondedChannel,
        @Nullable Instant closedAt,
        List<Slot> offeredSlots,
        int slotOffers,
        long version) {

    /** Validates the invariants of the state machine. */
    public FollowUp {
        if (id == null || practiceId == null || patientId == null || provider == null || type == null
                || preferredWindow == null || batchId == null || needKey == null || policyName == null
                || state == null || createdAt == null) {
            throw new InvalidInputException("follow-up " + id + " is missing a required field");
        }
        offeredSlots = List.copyOf(offeredSlots == null ? List.of() : offeredSlots);
        if (state.isTerminal() && (closedAt == null || nextActionAt != null)) {
            throw new InvalidInputException("follow-up " + id + " is " + state + " but not closed");
        }
        if (nextStep < 0 || slotOffers < 0 || version < 0) {
            throw new InvalidInputException("follow-up " + id + " has a negative counter");
        }
    }

    /**
     * A new case, pending its first step.
     *
     * @param id the case's id
     * @param practiceId the practice
     * @param patientId the patient
     * @param provider the provider
     * @param type the kind of visit
     * @param preferredWindow when the patient prefers to be seen
     * @param dueDate by when, if known
     * @param batchId the import it came from
     * @param needKey the need's identity across imports
     * @param policyName the policy to run
     * @param createdAt the ingestion time
     * @param firstActionAt when the first step falls due
     * @return the case in state {@link FollowUpState#PENDING}
     */
    public static FollowUp open(FollowUpId id, PracticeId practiceId, PatientId patientId, Provider provider,
            FollowUpType type, PreferredWindow preferredWindow, @Nullable LocalDate dueDate, BatchId batchId,
            String needKey, String policyName, Instant createdAt, Instant firstActionAt) {
        return new FollowUp(id, practiceId, patientId, provider, type, preferredWindow, dueDate, batchId, needKey,
                policyName, FollowUpState.PENDING, 0, firstActionAt, createdAt, null, null, null, null, null,
                List.of(), 0, 0);
    }

    /** @return whether the engine still acts on this case */
    public boolean isActive() {
        return !state.isTerminal();
    }

    /** @return when the engine acts next, if anything is scheduled */
    public Optional<Instant> nextAction() {
        return Optional.ofNullable(nextActionAt);
    }

    private void requireActive(String operation) {
        if (state.isTerminal()) {
            throw new IllegalTransitionException("follow-up " + id + " is " + state + ": cannot " + operation);
        }
    }

    /**
     * Moves the next action without taking a step (outside the send window, over a contact limit).
     *
     * @param at the new time
     * @return the next version
     */
    public FollowUp rescheduled(Instant at) {
        requireActive("reschedule");
        return new FollowUp(id, practiceId, patientId, provider, type, preferredWindow, dueDate, batchId, needKey,
                policyName, state, nextStep, at, createdAt, firstContactAt, lastOutreachChannel, repliedAt,
                respondedChannel, closedAt, offeredSlots, slotOffers, version + 1);
    }

    /**
     * Records an outreach step taken, or skipped for want of a contact point, and schedules the next.
     *
     * @param channel the channel used, or null when the step was skipped
     * @param at when it was sent
     * @param followingStep index of the step after it
     * @param followingAt when that step falls due, or null if the ladder has no more steps
     * @return the next version, in state {@link FollowUpState#CONTACTING}
     */
    public FollowUp stepTaken(@Nullable Channel channel, Instant at, int followingStep, @Nullable Instant followingAt) {
        requireActive("take a step");
        if (state == FollowUpState.ENGAGED) {
            throw new IllegalTransitionException("follow-up " + id + " is ENGAGED: the ladder stopped at the patient's reply");
        }
        boolean sent = channel != null;
        return new FollowUp(id, practiceId, patientId, provider, type, preferredWindow, dueDate, batchId, needKey,
                policyName, FollowUpState.CONTACTING, followingStep, followingAt, createdAt,
                sent && firstContactAt == null ? at : firstContactAt, sent ? channel : lastOutreachChannel, repliedAt,
                respondedChannel, closedAt, offeredSlots, slotOffers, version + 1);
    }

    /**
     * Records that the patient replied, attributing the reply to the latest outreach channel.
     *
     * @param at when the reply arrived
     * @return the next version (state unchanged)
     */
    public FollowUp replied(Instant at) {
        if (repliedAt != null) {
            return this;
        }
        return new FollowUp(id, practiceId, patientId, provider, type, preferredWindow, dueDate, batchId, needKey,
                policyName, state, nextStep, nextActionAt, createdAt, firstContactAt, lastOutreachChannel, at,
                lastOutreachChannel == null ? Channel.SMS : lastOutreachChannel, closedAt, offeredSlots, slotOffers,
                version + 1);
    }

    /**
     * The patient said yes and was offered slots; the ladder stops and waits for a choice.
     *
     * @param slots the slots offered, numbered from 1 in this order
     * @param at when they were offered
     * @param choiceDeadline when the engine gives up waiting and hands the case to staff
     * @return the next version, in state {@link FollowUpState#ENGAGED}
     */
    public FollowUp slotsOffered(List<Slot> slots, Instant at, Instant choiceDeadline) {
        requireActive("offer slots");
        if (slots.isEmpty()) {
            throw new IllegalTransitionException("follow-up " + id + ": an offer needs at least one slot");
        }
        FollowUp replied = replied(at);
        return new FollowUp(id, practiceId, patientId, provider, type, preferredWindow, dueDate, batchId, needKey,
                policyName, FollowUpState.ENGAGED, nextStep, choiceDeadline, createdAt, firstContactAt,
                lastOutreachChannel, replied.repliedAt, replied.respondedChannel, closedAt, slots, slotOffers + 1,
                version + 1);
    }

    /**
     * @param number the number the patient replied, starting at 1
     * @return the offered slot with that number
     */
    public Optional<Slot> offeredSlot(int number) {
        if (state != FollowUpState.ENGAGED || number < 1 || number > offeredSlots.size()) {
            return Optional.empty();
        }
        return Optional.of(offeredSlots.get(number - 1));
    }

    /**
     * Closes the case in a terminal state.
     *
     * @param terminal the terminal state
     * @param at when
     * @return the next version
     */
    public FollowUp closed(FollowUpState terminal, Instant at) {
        requireActive("close as " + terminal);
        if (!terminal.isTerminal()) {
            throw new IllegalTransitionException("follow-up " + id + ": " + terminal + " is not a terminal state");
        }
        return new FollowUp(id, practiceId, patientId, provider, type, preferredWindow, dueDate, batchId, needKey,
                policyName, terminal, nextStep, null, createdAt, firstContactAt, lastOutreachChannel, repliedAt,
                respondedChannel, at, terminal == FollowUpState.BOOKED ? List.of() : offeredSlots, slotOffers,
                version + 1);
    }

    /**
     * Records how staff resolved a case they took over: {@code HANDED_TO_STAFF} is terminal for the
     * engine, and this is its only way on, so that reports count what the staff achieved.
     *
     * @param outcome {@link FollowUpState#BOOKED}, {@link FollowUpState#DECLINED} or {@link FollowUpState#UNREACHABLE}
     * @param at when
     * @return the next version
     */
    public FollowUp resolvedByStaff(FollowUpState outcome, Instant at) {
        if (state != FollowUpState.HANDED_TO_STAFF) {
            throw new IllegalTransitionException("follow-up " + id + " is " + state + ": only a case handed to staff is resolved by staff");
        }
        if (outcome != FollowUpState.BOOKED && outcome != FollowUpState.DECLINED && outcome != FollowUpState.UNREACHABLE) {
            throw new IllegalTransitionException("follow-up " + id + ": staff resolve a case as BOOKED, DECLINED or UNREACHABLE, not " + outcome);
        }
        Channel via = outcome == FollowUpState.BOOKED && respondedChannel == null ? Channel.STAFF_CALL : respondedChannel;
        return new FollowUp(id, practiceId, patientId, provider, type, preferredWindow, dueDate, batchId, needKey,
                policyName, outcome, nextStep, null, createdAt, firstContactAt, lastOutreachChannel,
                outcome == FollowUpState.BOOKED && repliedAt == null ? at : repliedAt, via, at, List.of(), slotOffers,
                version + 1);
    }

    /**
     * Books the case, attributing the booking to a channel.
     *
     * @param at when it was booked
     * @param via the channel that won the patient (a staff call, an SMS conversation, the EHR)
     * @return the next version, in state {@link FollowUpState#BOOKED}
     */
    public FollowUp booked(Instant at, Channel via) {
        FollowUp closed = closed(FollowUpState.BOOKED, at);
        return new FollowUp(id, practiceId, patientId, provider, type, preferredWindow, dueDate, batchId, needKey,
                policyName, closed.state, nextStep, null, createdAt, firstContactAt, lastOutreachChannel,
                repliedAt == null ? at : repliedAt, respondedChannel == null ? via : respondedChannel, at, List.of(),
                slotOffers, closed.version);
    }
}
