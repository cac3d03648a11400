package dev.followup.internal;

import dev.followup.Identifiers;
import dev.followup.InvalidConfigurationException;
import dev.followup.audit.AuditType;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.MessagePurpose;
import dev.followup.message.MessageTemplate;
import dev.followup.message.MessageTemplates;
import dev.followup.message.RenderedMessage;
import dev.followup.message.SegmentCount;
import dev.followup.message.SendAttempt;
import dev.followup.message.SmsSegments;
import dev.followup.patient.Language;
import dev.followup.patient.Patient;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.Practice;
import dev.followup.scheduling.Slot;
import dev.followup.spi.OutboundEmail;
import dev.followup.spi.OutboundSms;
import dev.followup.spi.PracticeTransaction;
import dev.followup.spi.SendResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send protocol shared by outreach and replies: (1) render and record the attempt as PENDING
 * inside the caller's transaction, (2) call the provider outside any transaction, (3) record the
 * provider's answer in a new transaction. A crash between (1) and (3) leaves a PENDING attempt that
 * recovery reconciles before anything is sent again.
 */
final class Messenger {
    private static final Logger LOG = LoggerFactory.getLogger(Messenger.class);
    /**
     * The error code of an attempt the provider refused for the deployment's settings (credentials,
     * sender, relay), not for anything about the patient or the message.
     */
    static final String CONFIGURATION_ERROR = "configuration";
    /** How long a step waits after a settings refusal: time for a person to put the settings right. */
    static final Duration CONFIGURATION_RETRY = Duration.ofHours(1);

    /** The longest provider id or code kept in an audit attribute. */
    private static final int MAX_TOKEN = 40;
    private final EngineContext ctx;

    Messenger(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * A recorded attempt waiting to be handed to the provider.
     *
     * @param attempt the PENDING attempt
     * @param practice the practice
     * @param phone the number to text, for SMS
     * @param patient the patient, if known
     * @param message the rendered message
     * @param validity how long the provider may queue it
     * @param templateName the template it was rendered from, for the audit trail
     */
    record Prepared(SendAttempt attempt, Practice practice, @Nullable PhoneNumber phone, @Nullable Patient patient,
            RenderedMessage message, Duration validity, String templateName) {}

    /** Renders a template for a patient (or a bare number) and records the attempt. */
    Prepared prepare(PracticeTransaction tx, Practice practice, @Nullable Patient patient, @Nullable PhoneNumber phone,
            @Nullable FollowUp followUp, Channel channel, MessagePurpose purpose, String templateName, Map<String, String> extra,
            int step, int attemptNumber, Duration validity, Instant now) {
        Prepared prepared = render(practice, patient, phone, followUp, channel, purpose, templateName, extra, step, attemptNumber,
                validity, now);
        recordIntent(tx, prepared, now);
        return prepared;
    }

    /**
     * Renders a template for a patient (or a bare number) into an attempt that is not recorded yet:
     * {@link #recordIntent} must commit it before the message is handed to the provider.
     */
    Prepared render(Practice practice, @Nullable Patient patient, @Nullable PhoneNumber phone, @Nullable FollowUp followUp,
            Channel channel, MessagePurpose purpose, String templateName, Map<String, String> extra, int step, int attemptNumber,
            Duration validity, Instant now) {
        Language language = patient != null ? patient.language() : Language.ENGLISH;
        String providerId = followUp != null ? followUp.provider().id() : "";
        String typeCode = followUp != null ? followUp.type().code() : "";
        MessageTemplate template = ctx.settings(practice.id()).templates().resolve(templateName, language, providerId, typeCode);
        if (template.channel() != channel) {
            throw new InvalidConfigurationException("practice " + practice.id() + ": template '" + templateName + "' is for "
                    + template.channel() + ", not " + channel);
        }
        Map<String, String> values = new HashMap<>(extra);
        values.put(MessageTemplate.PRACTICE_NAME, practice.name());
        values.put(MessageTemplate.PRACTICE_PHONE, practice.callbackPhone());
        values.put(MessageTemplate.PROVIDER_NAME, followUp != null ? followUp.provider().displayName() : practice.name());
        if (patient != null) {
            values.put(MessageTemplate.FIRST_NAME, patient.firstName().isEmpty() ? patient.lastName() : patient.firstName());
            values.put(MessageTemplate.LAST_NAME, patient.lastName());
        }
        if (followUp != null && practice.visitTypeInMessages()) {
            values.put(MessageTemplate.VISIT_TYPE, followUp.type().label());
        }
        RenderedMessage rendered = MessageTemplates.render(template, values);
        int segments = 1;
        BigDecimal cost = BigDecimal.ZERO;
        if (channel == Channel.SMS) {
            SegmentCount count = SmsSegments.count(rendered.text());
            segments = count.segments();
            cost = ctx.pricing().costOf(count);
        }
        SendAttempt attempt = new SendAttempt(ctx.newId(), practice.id(), followUp == null ? null : followUp.id(),
                patient == null ? null : patient.id(), channel, purpose, step, attemptNumber, dev.followup.message.AttemptState.PENDING,
                null, null, null, rendered.text(), segments, cost, now, now);
        return new Prepared(attempt, practice, phone, patient, rendered, validity, templateName);
    }

    /**
     * Records a rendered attempt as PENDING: step (1) of the protocol. Once committed, a crash before
     * the provider's answer is recorded leaves it for recovery to reconcile.
     *
     * @throws dev.followup.ConcurrentUpdateException if the step's attempt exists already (its dedupe key)
     */
    void recordIntent(PracticeTransaction tx, Prepared prepared, Instant now) {
        SendAttempt attempt = prepared.attempt();
        tx.insertAttempt(attempt);
        Audits.record(tx, AuditType.MESSAGE_PREPARED, Audits.ENGINE, attempt.followUpId(), attempt.patientId(), now,
                "attempt", attempt.id(), "channel", attempt.channel().name(), "purpose", attempt.purpose().name(),
                "step", Integer.toString(attempt.step()), "try", Integer.toString(attempt.attemptNumber()),
                "segments", Integer.toString(attempt.segments()), "template", prepared.templateName());
    }

    /** Hands a prepared message to its provider, once. Never throws for a provider problem. */
    SendResult deliver(Prepared p) {
        SendAttempt a = p.attempt();
        try {
            if (a.channel() == Channel.SMS) {
                if (ctx.sms() == null || p.practice().smsFrom() == null || p.phone() == null) {
                    return SendResult.permanentFailure("no-sms", "no SMS sender or number for this practice or patient");
                }
                return ctx.sms().send(new OutboundSms(a.id(), a.practiceId(), p.practice().smsFrom(), p.phone(), p.message().text(), p.validity()));
            }
            if (ctx.email() == null || p.practice().emailFrom() == null || p.patient() == null || p.patient().email() == null) {
                return SendResult.permanentFailure("no-email", "no email sender or address for this practice or patient");
            }
            return ctx.email().send(new OutboundEmail(a.id(), a.practiceId(), p.practice().emailFrom(), p.practice().name(), null,
                    p.patient().email(), p.message().subject(), p.message().text(), p.message().html()));
        } catch (InvalidConfigurationException e) {
            LOG.error("provider configuration error for practice {} (attempt {}): {}", a.practiceId(), a.id(), e.getMessage());
            return SendResult.transientFailure(CONFIGURATION_ERROR, "provider configuration error", CONFIGURATION_RETRY);
        } catch (RuntimeException e) {
            // The provider may or may not have the message: treat it as ambiguous, never re-send blindly.
            LOG.warn("provider call failed for attempt {} of practice {} ({})", a.id(), a.practiceId(), e.getClass().getSimpleName());
            return SendResult.unknown("exception", e.getClass().getSimpleName());
        }
    }

    /** Records the provider's answer on the attempt and audits it; returns the updated attempt. */
    SendAttempt recordResult(PracticeTransaction tx, SendAttempt pending, SendResult result, Instant now) {
        SendAttempt stored = tx.attempt(pending.id()).orElse(pending);
        if (stored.state() != dev.followup.message.AttemptState.PENDING) {
            return stored; // a status callback settled it first
        }
        return record(tx, stored, result, now, tx::updateAttempt);
    }

    /**
     * {@link #recordResult} without reading the attempt first: the write is guarded on the attempt
     * still being pending, and throws {@link dev.followup.ConcurrentUpdateException} (possibly at
     * commit) when a status callback settled it first; the caller then records it again with
     * {@link #recordResult}, in a new transaction.
     */
    SendAttempt recordPendingResult(PracticeTransaction tx, SendAttempt pending, SendResult result, Instant now) {
        return record(tx, pending, result, now, tx::settleAttempt);
    }

    private SendAttempt record(PracticeTransaction tx, SendAttempt stored, SendResult result, Instant now, Consumer<SendAttempt> write) {
        SendAttempt updated = switch (result.outcome()) {
            case ACCEPTED -> stored.sent(result.providerMessageId(), result.initialStatus() == null ? DeliveryStatus.QUEUED : result.initialStatus(), now);
            case UNKNOWN -> reconcile(stored, now);
            default -> stored.failed(result.errorCode(), now);
        };
        write.accept(updated);
        ctx.afterCommit(() -> ctx.listener().messageRecorded(updated.practiceId(), updated.channel(), updated.purpose(), updated.state()));
        AuditType type = switch (updated.state()) {
            case SENT -> AuditType.MESSAGE_SENT;
            case UNCONFIRMED -> AuditType.MESSAGE_UNCONFIRMED;
            default -> AuditType.MESSAGE_FAILED;
        };
        Audits.record(tx, type, Audits.PROVIDER, updated.followUpId(), updated.patientId(), now, "attempt", updated.id(),
                "outcome", result.outcome().name(), "code", result.errorCode() == null ? null : token(result.errorCode()));
        return updated;
    }

    /** An attempt whose fate is unknown: ask the provider; if it cannot tell, count it as sent. */
    SendAttempt reconcile(SendAttempt attempt, Instant now) {
        if (attempt.channel() == Channel.SMS && ctx.sms() != null) {
            try {
                var known = ctx.sms().lookup(attempt.practiceId(), attempt.id());
                if (known.isPresent()) {
                    return attempt.sent(known.get().providerMessageId(), known.get().status(), now);
                }
            } catch (RuntimeException e) {
                LOG.warn("lookup of attempt {} failed ({}); counting it as sent", attempt.id(), e.getClass().getSimpleName());
            }
        }
        return attempt.unconfirmed(now);
    }

    /**
     * @return the first 40 of the code's letters, digits and {@code . _ : -}, the rest dropped: a
     *     provider's id or code made safe for an audit attribute (built by hand: it runs for every
     *     reply, where a regular expression compiled each time showed in the profile)
     */
    static String token(String code) {
        StringBuilder t = new StringBuilder(Math.min(code.length(), MAX_TOKEN));
        for (int i = 0; i < code.length() && t.length() < MAX_TOKEN; i++) {
            char c = code.charAt(i);
            if (Identifiers.isIdentifierChar(c)) {
                t.append(c);
            }
        }
        return t.toString();
    }

    /** Formats offered slots for the patient, numbered from 1, in their language and zone. */
    static String slotList(List<Slot> slots, Language language, ZoneId zone) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < slots.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(i + 1).append(") ").append(slotTime(slots.get(i), language, zone));
        }
        return s.toString();
    }

    static String slotTime(Slot slot, Language language, ZoneId zone) {
        DateTimeFormatter f = language.equals(Language.SPANISH)
                ? DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.forLanguageTag("es"))
                : DateTimeFormatter.ofPattern("EEE MMM d h:mm a", Locale.US);
        return f.format(slot.start().atZone(zone));
    }
}
