package dev.followup.internal;

import dev.followup.consent.ConsentSource;
import dev.followup.conversation.InboundResult;
import dev.followup.conversation.ReplyKind;
import dev.followup.followup.Channel;
import dev.followup.message.AttemptState;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.MessagePurpose;
import dev.followup.practice.PracticeId;
import dev.followup.spi.EngineListener;
import dev.followup.task.TaskKind;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's listeners as one: each event goes to every listener in order, and a listener that
 * throws is logged (by its class name only) and skipped, so monitoring can never change what the
 * engine does.
 */
public final class GuardedListeners implements EngineListener {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedListeners.class);
    private final List<EngineListener> listeners;

    /** @param listeners the listeners, called in this order */
    public GuardedListeners(List<EngineListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    private void each(Consumer<EngineListener> event) {
        for (EngineListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("engine listener {} failed ({}); ignored", listener.getClass().getName(), e.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void batchClaimed(int size) {
        each(l -> l.batchClaimed(size));
    }

    @Override
    public void stepLag(PracticeId practiceId, Duration lag) {
        each(l -> l.stepLag(practiceId, lag));
    }

    @Override
    public void messageRecorded(PracticeId practiceId, Channel channel, MessagePurpose purpose, AttemptState state) {
        each(l -> l.messageRecorded(practiceId, channel, purpose, state));
    }

    @Override
    public void deliveryStatusApplied(PracticeId practiceId, Channel channel, DeliveryStatus status) {
        each(l -> l.deliveryStatusApplied(practiceId, channel, status));
    }

    @Override
    public void replyHandled(PracticeId practiceId, ReplyKind kind, InboundResult.Action action) {
        each(l -> l.replyHandled(practiceId, kind, action));
    }

    @Override
    public void optedOut(PracticeId practiceId, ConsentSource source) {
        each(l -> l.optedOut(practiceId, source));
    }

    @Override
    public void taskOpened(PracticeId practiceId, TaskKind kind) {
        each(l -> l.taskOpened(practiceId, kind));
    }
}
