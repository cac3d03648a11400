package dev.followup.internal;

import dev.followup.ConcurrentUpdateException;
import dev.followup.audit.AuditType;
import dev.followup.consent.ChannelSuppression;
import dev.followup.consent.ConsentChange;
import dev.followup.consent.ConsentSource;
import dev.followup.consent.ConsentStatus;
import dev.followup.conversation.ClassifiedReply;
import dev.followup.conversation.InboundMessage;
import dev.followup.conversation.InboundResult;
import dev.followup.conversation.InboundSms;
import dev.followup.conversation.ReplyKind;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpState;
import dev.followup.message.DeliveryUpdate;
import dev.followup.message.MessagePurpose;
import dev.followup.message.MessageTemplate;
import dev.followup.message.SendAttempt;
import dev.followup.message.TemplateNames;
import dev.followup.patient.Patient;
import dev.followup.patient.PhoneNumber;
import dev.followup.policy.EscalationPolicy;
import dev.followup.policy.Step;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.scheduling.BookingResult;
import dev.followup.scheduling.Slot;
import dev.followup.spi.AppointmentBooker;
import dev.followup.spi.PracticeTransaction;
import dev.followup.spi.ReplyContext;
import dev.followup.spi.SendResult;
import dev.followup.spi.SlotProvider;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskId;
import dev.followup.task.TaskKind;
import dev.followup.task.TaskPriority;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what patients and providers send back: inbound texts (opt-out first, always) and
 * delivery statuses. Each inbound text is applied once (its provider id is recorded in the same
 * transaction as its effects), and a reply never meets a dead end: every kind of text leads to an
 * answer or to a person.
 */
public final class ReplyHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyHandler.class);
    private static final Duration REPLY_VALIDITY = Duration.ofHours(1);
    private static final Duration BOOKING_LEAD_TIME = Duration.ofHours(2);
    private static final int MAX_SLOT_OFFERS = 3;
    /** Carrier errors after which the number will not take texts: the next channel is tried at once. */
    /** Twilio's refusal of a number that opted out at the carrier (it answered STOP to Twilio itself). */
    private static final String CARRIER_OPT_OUT = "21610";
    private static final Set<String> UNREACHABLE_CODES = Set.of("30003", "30004", "30005", "30006", "30007", "30008", "21211", "21614", "21612", "21408");
    private final EngineContext ctx;
    private final Messenger messenger;
    private final Closer closer;

    /** @param ctx the engine's shared context */
    public ReplyHandler(EngineContext ctx) {
        this.ctx = ctx;
        this.messenger = new Messenger(ctx);
        this.closer = new Closer(ctx);
    }

    /** What the first transaction decided, and what must happen outside it. */
    private record Decision(InboundResult result, List<Messenger.Prepared> replies, @Nullable FollowUp followUp,
            @Nullable Patient patient, Step.@Nullable OfferSlots offer, @Nullable Slot chosen) {
        static Decision of(InboundResult result) {
            return new Decision(result, List.of(), null, null, null, null);
        }
    }

    /**
     * @param sms the inbound text
     * @return what was done
     */
    public InboundResult handle(InboundSms sms) {
        Practice practice = ctx.practice(sms.practiceId());
        Instant now = ctx.clock().instant();
        List<StaffTask> opened = new ArrayList<>();
        // Another transaction may change what this one read: the same text delivered twice at once, or another reply of
        // the patient's. Decided again on what is stored then, a repeat is found recorded.
        Function<PracticeTransaction, Decision> decision = tx -> decide(tx, practice, sms, now, opened);
        Decision d = onceMoreIfRaceLost(practice.id(), decision, opened::clear, decision);
        closer.publish(opened);
        d.replies().forEach(this::deliver);
        if (d.offer() != null && d.followUp() != null && d.patient() != null) {
            return offerSlots(practice, d.followUp(), d.patient(), d.offer().count(), false, d.result());
        }
        if (d.chosen() != null && d.followUp() != null && d.patient() != null) {
            return book(practice, d.followUp(), d.patient(), d.chosen(), d.result());
        }
        return d.result();
    }

    private Decision decide(PracticeTransaction tx, Practice practice, InboundSms sms, Instant now, List<StaffTask> opened) {
        ReplyContext known = tx.replyContext(sms.from(), sms.providerMessageId());
        List<Patient> patients = known.patients();
        FollowUp target = null;
        for (Patient p : patients) {
            for (FollowUp f : known.activeFollowUpsOf(p.id())) {
                if (target == null || rank(f) > rank(target)) {
                    target = f;
                }
            }
        }
        Patient patient = null;
        if (target != null) {
            FollowUp t = target;
            patient = patients.stream().filter(p -> p.id().equals(t.patientId())).findFirst().orElse(null);
        } else if (!patients.isEmpty()) {
            patient = patients.get(0);
        }
        int openSlots = target != null && target.state() == FollowUpState.ENGAGED ? target.offeredSlots().size() : 0;
        ClassifiedReply reply = ctx.classifier().classify(sms.body(), openSlots);
        ReplyKind kind = reply.kind();
        if (known.recordedBefore() || !tx.recordInbound(new InboundMessage(practice.id(), sms.providerMessageId(),
                patient == null ? null : patient.id(), target == null ? null : target.id(), kind, sms.body(), sms.receivedAt()))) {
            return Decision.of(new InboundResult(kind, InboundResult.Action.DUPLICATE, patient == null ? null : patient.id(),
                    target == null ? null : target.id()));
        }
        Audits.record(tx, AuditType.MESSAGE_RECEIVED, Audits.PATIENT, target == null ? null : target.id(),
                patient == null ? null : patient.id(), now, "kind", kind.name(), "providerId", Messenger.token(sms.providerMessageId()));
        if (target != null && kind != ReplyKind.HELP) {
            // Any answer but a request for help counts as a response to the outreach, an opt-out included.
            target = Audits.transition(tx, target, target.replied(now), Audits.PATIENT, now, "replied");
        }
        boolean carrierAnswers = reply.exactKeyword() && practice.carrierAnswersExactKeywords();
        List<Messenger.Prepared> replies = new ArrayList<>();
        switch (kind) {
            case OPT_OUT -> {
                boolean already = closer.optOut(tx, known, target, sms.from(), ConsentSource.PATIENT_SMS, now);
                if (!already && !carrierAnswers) {
                    replies.add(reply(tx, practice, patient, null, MessagePurpose.OPT_OUT_CONFIRMATION, TemplateNames.OPT_OUT_CONFIRMATION, Map.of(), sms, now));
                }
                return new Decision(result(kind, InboundResult.Action.OPTED_OUT, patient, target), replies, null, null, null, null);
            }
            case OPT_IN -> {
                tx.recordConsent(new ConsentChange(practice.id(), null, sms.from(), ConsentStatus.OPTED_IN, ConsentSource.PATIENT_SMS, now));
                for (Patient p : patients) {
                    tx.recordConsent(new ConsentChange(practice.id(), p.id(), null, ConsentStatus.OPTED_IN, ConsentSource.PATIENT_SMS, now));
                    Audits.record(tx, AuditType.CONSENT_CHANGED, Audits.PATIENT, null, p.id(), now, "status", ConsentStatus.OPTED_IN.name(),
                            "source", ConsentSource.PATIENT_SMS.name());
                }
                if (!carrierAnswers) {
                    replies.add(reply(tx, practice, patient, null, MessagePurpose.OPT_IN_CONFIRMATION, TemplateNames.OPT_IN_CONFIRMATION, Map.of(), sms, now));
                }
                return new Decision(result(kind, InboundResult.Action.OPTED_IN, patient, target), replies, null, null, null, null);
            }
            case HELP -> {
                replies.add(reply(tx, practice, patient, target, MessagePurpose.HELP, TemplateNames.HELP, Map.of(), sms, now));
                return new Decision(result(kind, InboundResult.Action.HELP_SENT, patient, target), replies, null, null, null, null);
            }
            default -> {
                // handled below
            }
        }
        boolean optedOut = OutreachRunner.optsOut(patient != null ? known.consentOf(patient.id()) : known.numberConsent());
        if (optedOut || target == null) {
            // No conversation to continue: a person reads it, and an opted-out patient is sent nothing.
            String reason = optedOut ? "reply from an opted-out number (START resumes messages)"
                    : patient == null ? "text from a number without a patient" : "reply without an open follow-up";
            StaffTask task = StaffTask.open(TaskId.of(ctx.newId()), practice.id(), null, patient == null ? null : patient.id(),
                    TaskKind.REVIEW_REPLY, TaskPriority.NORMAL, reason, sms.body(), now);
            tx.insertTask(task);
            Audits.record(tx, AuditType.TASK_OPENED, Audits.ENGINE, null, patient == null ? null : patient.id(), now,
                    "task", task.id().value(), "kind", TaskKind.REVIEW_REPLY.name());
            opened.add(task);
            if (!optedOut && patient != null) {
                replies.add(reply(tx, practice, patient, null, MessagePurpose.REPLY_ACKNOWLEDGEMENT, TemplateNames.RECEIVED, Map.of(), sms, now));
            }
            return new Decision(result(kind, optedOut || patient == null ? InboundResult.Action.RECORDED : InboundResult.Action.TASK_OPENED,
                    patient, null), replies, null, null, null, null);
        }
        FollowUp f = target;
        EscalationPolicy policy = ctx.policyOf(f);
        switch (kind) {
            case YES -> {
                if (policy.onYes() instanceof Step.OfferSlots offer && ctx.slots() != null && ctx.booker() != null) {
                    return new Decision(result(kind, InboundResult.Action.SLOTS_OFFERED, patient, f), replies, f, patient, offer, null);
                }
                // The policy's own staff task when it names one; otherwise (no scheduling system) a manual booking.
                TaskKind taskKind = policy.onYes() instanceof Step.StaffTask staffTask ? staffTask.kind() : TaskKind.SCHEDULE_MANUALLY;
                closer.handToStaff(tx, f, patient, taskKind, TaskPriority.HIGH, "wants to book; schedule by phone", null, now, opened);
                replies.add(reply(tx, practice, patient, f, MessagePurpose.NO_SLOTS, TemplateNames.NO_SLOTS, Map.of(), sms, now));
                return new Decision(result(kind, InboundResult.Action.TASK_OPENED, patient, f), replies, null, null, null, null);
            }
            case SLOT_CHOICE -> {
                Optional<Slot> slot = f.offeredSlot(reply.slotNumber());
                if (slot.isPresent()) {
                    return new Decision(result(kind, InboundResult.Action.BOOKED, patient, f), replies, f, patient, null, slot.get());
                }
            }
            case NO -> {
                closer.close(tx, f, FollowUpState.DECLINED, now, "patient-declined");
                replies.add(reply(tx, practice, patient, f, MessagePurpose.DECLINE_ACKNOWLEDGEMENT, TemplateNames.DECLINED, Map.of(), sms, now));
                return new Decision(result(kind, InboundResult.Action.DECLINED, patient, f), replies, null, null, null, null);
            }
            default -> {
                // OTHER, and a slot number that matches no offered slot, fall through to a person.
            }
        }
        closer.handToStaff(tx, f, patient, TaskKind.REVIEW_REPLY, TaskPriority.HIGH, "reply needs a person", sms.body(), now, opened);
        replies.add(reply(tx, practice, patient, f, MessagePurpose.REPLY_ACKNOWLEDGEMENT, TemplateNames.RECEIVED, Map.of(), sms, now));
        return new Decision(result(kind, InboundResult.Action.TASK_OPENED, patient, f), replies, null, null, null, null);
    }

    private static long rank(FollowUp f) {
        // The conversation a reply most likely answers: an open slot offer, then the latest outreach.
        long state = switch (f.state()) {
            case ENGAGED -> 3;
            case CONTACTING -> 2;
            default -> 1;
        };
        long recency = f.firstContactAt() == null ? 0 : f.firstContactAt().getEpochSecond();
        return state * 1_000_000_000_000L + recency;
    }

    private static InboundResult result(ReplyKind kind, InboundResult.Action action, @Nullable Patient patient, @Nullable FollowUp f) {
        return new InboundResult(kind, action, patient == null ? null : patient.id(), f == null ? null : f.id());
    }

    private Messenger.Prepared reply(PracticeTransaction tx, Practice practice, @Nullable Patient patient, @Nullable FollowUp f,
            MessagePurpose purpose, String template, Map<String, String> values, InboundSms sms, Instant now) {
        return messenger.prepare(tx, practice, patient, sms.from(), f, Channel.SMS, purpose, template, values, -1, 1, REPLY_VALIDITY, now);
    }

    private void deliver(Messenger.Prepared prepared) {
        SendResult result = messenger.deliver(prepared);
        Instant now = ctx.clock().instant();
        SendAttempt pending = prepared.attempt();
        // A status callback rarely beats this record, so the attempt is written as still pending, not read first.
        onceMoreIfRaceLost(pending.practiceId(), tx -> {
            messenger.recordPendingResult(tx, pending, result, now);
            return optOutIfRefused(tx, prepared, result, now);
        }, () -> {}, tx -> {
            messenger.recordResult(tx, pending, result, now);
            return optOutIfRefused(tx, prepared, result, now);
        });
    }

    /**
     * A carrier that refuses a reply's text holds an opt-out the library never heard (a STOP sent
     * while the webhook was down, say): it counts on every channel, as it does for outreach.
     */
    private @Nullable Void optOutIfRefused(PracticeTransaction tx, Messenger.Prepared prepared, SendResult result, Instant now) {
        if (result.outcome() == SendResult.Outcome.RECIPIENT_OPTED_OUT) {
            optOutAtCarrier(tx, prepared.patient(), prepared.phone(), now);
        }
        return null;
    }

    /** Records a carrier's opt-out for the patient and the number the refused text went to (a bare number: an unknown sender's). */
    private void optOutAtCarrier(PracticeTransaction tx, @Nullable Patient patient, @Nullable PhoneNumber phone, Instant now) {
        if (patient != null || phone != null) {
            closer.optOut(tx, patient, phone != null ? phone : patient.phone(), ConsentSource.CARRIER, now);
        }
    }

    private InboundResult offerSlots(Practice practice, FollowUp f, Patient patient, int count, boolean fresh, InboundResult result) {
        SlotProvider slots = ctx.slots();
        Instant now = ctx.clock().instant();
        List<Slot> found;
        try {
            found = slots.openSlots(new SlotProvider.SlotQuery(practice.id(), f.provider().id(), f.type(), f.preferredWindow(),
                    patient.zoneOr(practice.timeZone()), now.plus(BOOKING_LEAD_TIME), count));
        } catch (RuntimeException e) {
            LOG.warn("slot lookup failed for follow-up {} ({}); handing it to staff", f.id(), e.getClass().getSimpleName());
            found = List.of();
        }
        List<Slot> offer = found.stream().limit(count).toList();
        List<StaffTask> opened = new ArrayList<>();
        Messenger.Prepared message = withLatest(practice, f, opened, (tx, current) -> {
            if (!current.isActive()) {
                return null; // an opt-out or another reply closed it meanwhile
            }
            if (offer.isEmpty() || current.slotOffers() >= MAX_SLOT_OFFERS) {
                closer.handToStaff(tx, current, patient, TaskKind.SCHEDULE_MANUALLY, TaskPriority.HIGH,
                        offer.isEmpty() ? "wants to book; no open slot to offer" : "wants to book; slots kept being taken", null, now, opened);
                return messenger.prepare(tx, practice, patient, patient.phone(), current, Channel.SMS, MessagePurpose.NO_SLOTS,
                        TemplateNames.NO_SLOTS, Map.of(), -1, 1, REPLY_VALIDITY, now);
            }
            EscalationPolicy policy = ctx.policyOf(current);
            Audits.transition(tx, current, current.slotsOffered(offer, now, now.plus(policy.choiceTimeout())), Audits.ENGINE, now, "slots-offered");
            Audits.of(tx, AuditType.SLOTS_OFFERED, Audits.ENGINE, current, now, "count", Integer.toString(offer.size()));
            String list = Messenger.slotList(offer, patient.language(), patient.zoneOr(practice.timeZone()));
            return messenger.prepare(tx, practice, patient, patient.phone(), current, Channel.SMS, MessagePurpose.SLOT_OFFER,
                    fresh ? TemplateNames.SLOT_TAKEN : TemplateNames.SLOT_OFFER, Map.of(MessageTemplate.SLOT_LIST, list), -1, 1, REPLY_VALIDITY, now);
        });
        closer.publish(opened);
        if (message == null) {
            return result.with(InboundResult.Action.RECORDED); // closed meanwhile: nothing was offered
        }
        deliver(message);
        return message.attempt().purpose() == MessagePurpose.NO_SLOTS ? result.with(InboundResult.Action.TASK_OPENED) : result;
    }

    private InboundResult book(Practice practice, FollowUp f, Patient patient, Slot slot, InboundResult result) {
        AppointmentBooker booker = ctx.booker();
        BookingResult outcome;
        try {
            outcome = booker.book(new AppointmentBooker.BookingRequest(practice.id(), f.id(), patient.id(),
                    patient.mrn() == null ? null : patient.mrn().value(), f.type(), slot));
        } catch (RuntimeException e) {
            LOG.warn("booking failed for follow-up {} ({})", f.id(), e.getClass().getSimpleName());
            outcome = new BookingResult.Failed("booking port threw " + e.getClass().getSimpleName());
        }
        if (outcome instanceof BookingResult.SlotTaken) {
            InboundResult fresh = offerSlots(practice, f, patient, f.offeredSlots().size(), true, result);
            return result.with(fresh.action() == InboundResult.Action.BOOKED ? InboundResult.Action.SLOTS_OFFERED : fresh.action());
        }
        Instant now = ctx.clock().instant();
        List<StaffTask> opened = new ArrayList<>();
        BookingResult finalOutcome = outcome;
        Messenger.Prepared message = withLatest(practice, f, opened, (tx, current) -> {
            if (!current.isActive()) {
                if (finalOutcome instanceof BookingResult.Booked booked) {
                    // An opt-out or another reply closed the follow-up while the scheduling system booked the slot: the
                    // appointment exists there all the same. The trail records it and a person confirms or cancels it; the
                    // patient is sent nothing.
                    Audits.of(tx, AuditType.APPOINTMENT_BOOKED, Audits.ENGINE, current, now, "slot", Messenger.token(slot.id()),
                            "confirmation", Messenger.token(booked.confirmation()), "followUpState", current.state().name());
                    closer.handToStaff(tx, current, patient, TaskKind.REVIEW_REPLY, TaskPriority.HIGH,
                            "appointment booked after the follow-up closed; confirm or cancel it", null, now, opened);
                }
                return null;
            }
            if (finalOutcome instanceof BookingResult.Booked booked) {
                Channel via = current.respondedChannel() != null ? current.respondedChannel() : Channel.SMS;
                Audits.transition(tx, current, current.booked(now, via), Audits.PATIENT, now, "slot-booked");
                Audits.of(tx, AuditType.APPOINTMENT_BOOKED, Audits.ENGINE, current, now, "slot", Messenger.token(slot.id()),
                        "confirmation", Messenger.token(booked.confirmation()), "via", via.name());
                return messenger.prepare(tx, practice, patient, patient.phone(), current, Channel.SMS, MessagePurpose.BOOKING_CONFIRMATION,
                        TemplateNames.BOOKED, Map.of(MessageTemplate.SLOT_TIME, Messenger.slotTime(slot, patient.language(), patient.zoneOr(practice.timeZone()))),
                        -1, 1, REPLY_VALIDITY, now);
            }
            closer.handToStaff(tx, current, patient, TaskKind.BOOKING_FAILED, TaskPriority.HIGH, "booking failed; book by hand", null, now, opened);
            return messenger.prepare(tx, practice, patient, patient.phone(), current, Channel.SMS, MessagePurpose.NO_SLOTS,
                    TemplateNames.NO_SLOTS, Map.of(), -1, 1, REPLY_VALIDITY, now);
        });
        boolean taskOpened = !opened.isEmpty();
        closer.publish(opened);
        if (message == null) {
            return result.with(taskOpened ? InboundResult.Action.TASK_OPENED : InboundResult.Action.RECORDED);
        }
        deliver(message);
        return outcome instanceof BookingResult.Booked ? result : result.with(InboundResult.Action.TASK_OPENED);
    }

    /**
     * Runs {@code work} in a transaction on the follow-up as this thread last committed it, which is
     * still current unless something (an opt-out, another reply) changed it since. The work writes
     * the follow-up, guarded by its version, whenever it acts on it, so a change since fails that
     * write and rolls the work back; it then runs again on the follow-up read afresh. A read is
     * saved in the common case.
     *
     * @param known the follow-up as this thread last committed it
     * @param opened the work's outbox of tasks, emptied for the second run
     */
    private <T> T withLatest(Practice practice, FollowUp known, List<StaffTask> opened, BiFunction<PracticeTransaction, FollowUp, T> work) {
        return onceMoreIfRaceLost(practice.id(), tx -> work.apply(tx, known), opened::clear,
                tx -> work.apply(tx, tx.followUp(known.id()).orElseThrow()));
    }

    /**
     * Runs {@code first} in a transaction. Should it lose a race ({@link ConcurrentUpdateException}),
     * nothing of it was written: {@code reset} clears what it gathered outside the transaction, and
     * {@code again} runs, once, in a new transaction; a second lost race reaches the caller.
     */
    private <T> T onceMoreIfRaceLost(PracticeId practiceId, Function<PracticeTransaction, T> first, Runnable reset,
            Function<PracticeTransaction, T> again) {
        try {
            return ctx.inTransaction(practiceId, first);
        } catch (ConcurrentUpdateException e) {
            reset.run();
            return ctx.inTransaction(practiceId, again);
        }
    }

    /**
     * Applies a provider's status report once: unknown messages and statuses that do not advance
     * the stored one are ignored. A failed outreach message moves its follow-up to the next
     * channel at once; a carrier opt-out is recorded as one.
     *
     * @param update the report
     * @return whether it changed anything
     */
    public boolean handle(DeliveryUpdate update) {
        ctx.practice(update.practiceId());
        Instant now = ctx.clock().instant();
        // A race lost to another report of the same message (on another node, say) is decided again on what it wrote.
        Function<PracticeTransaction, Boolean> apply = tx -> apply(tx, update, now);
        return onceMoreIfRaceLost(update.practiceId(), apply, () -> {}, apply);
    }

    private boolean apply(PracticeTransaction tx, DeliveryUpdate update, Instant now) {
        Optional<SendAttempt> found = update.attemptId() != null ? tx.attempt(update.attemptId()) : Optional.empty();
        if (found.isEmpty()) {
            found = tx.attemptByProviderId(update.providerMessageId());
        }
        if (found.isEmpty()) {
            return false;
        }
        SendAttempt attempt = found.get();
        if (!update.status().advances(attempt.deliveryStatus())) {
            return false;
        }
        SendAttempt updated = attempt.withStatus(update.status(), update.errorCode(), update.providerMessageId(), now);
        tx.updateDeliveryStatus(updated, attempt.deliveryStatus());
        ctx.afterCommit(() -> ctx.listener().deliveryStatusApplied(update.practiceId(), attempt.channel(), update.status()));
        Audits.record(tx, AuditType.DELIVERY_STATUS, Audits.PROVIDER, attempt.followUpId(), attempt.patientId(), now,
                "attempt", attempt.id(), "status", update.status().name(),
                "code", update.errorCode() == null ? null : Messenger.token(update.errorCode()));
        if (update.status().isFailure() && CARRIER_OPT_OUT.equals(update.errorCode()) && attempt.patientId() != null) {
            // Whatever the message was (outreach, a reply's text) and wherever its follow-up stands.
            tx.patient(attempt.patientId()).ifPresent(p -> optOutAtCarrier(tx, p, p.phone(), now));
        } else if (update.status().isFailure() && attempt.purpose().isOutreach() && attempt.followUpId() != null) {
            onOutreachFailed(tx, attempt, update, now);
        }
        return true;
    }

    private void onOutreachFailed(PracticeTransaction tx, SendAttempt attempt, DeliveryUpdate update, Instant now) {
        FollowUp f = tx.followUp(attempt.followUpId()).orElse(null);
        Patient patient = attempt.patientId() == null ? null : tx.patient(attempt.patientId()).orElse(null);
        if (f == null || patient == null) {
            return;
        }
        if (update.errorCode() != null && UNREACHABLE_CODES.contains(update.errorCode())) {
            tx.suppress(new ChannelSuppression(f.practiceId(), patient.id(), attempt.channel(), update.errorCode(), now));
            Audits.of(tx, AuditType.CHANNEL_SUPPRESSED, Audits.PROVIDER, f, now, "channel", attempt.channel().name(), "code", update.errorCode());
        }
        boolean waitingOnThisStep = f.isActive() && f.state() == FollowUpState.CONTACTING && f.nextStep() == attempt.step() + 1;
        if (waitingOnThisStep) {
            // The message did not arrive: waiting 24 hours for a reply to it makes no sense.
            Audits.transition(tx, f, f.rescheduled(now), Audits.PROVIDER, now, "undelivered");
        }
    }
}
