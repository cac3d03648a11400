package dev.followup.spring.internal;

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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * The engine's events as Micrometer meters. Tags are enum values and, optionally, the practice id:
 * never a name, number, address or text.
 *
 * <ul>
 *   <li>{@code followup.messages} (counter): sends recorded, by practice, channel, purpose and state</li>
 *   <li>{@code followup.messages.delivery} (counter): delivery statuses applied, by practice, channel and status</li>
 *   <li>{@code followup.replies} (counter): inbound texts, by practice, kind and action</li>
 *   <li>{@code followup.opt.outs} (counter): new opt-outs, by practice and source</li>
 *   <li>{@code followup.tasks.opened} (counter): staff tasks, by practice and kind</li>
 *   <li>{@code followup.engine.lag} (timer): how late each step was taken up, by practice</li>
 *   <li>{@code followup.engine.claim.batch} (distribution summary): follow-ups per claimed batch</li>
 * </ul>
 */
public final class MicrometerEngineListener implements EngineListener {
    private final MeterRegistry registry;
    private final boolean practiceTag;
    private final DistributionSummary batches;

    /**
     * @param registry where the meters go
     * @param practiceTag whether meters carry the practice id
     */
    public MicrometerEngineListener(MeterRegistry registry, boolean practiceTag) {
        this.registry = registry;
        this.practiceTag = practiceTag;
        this.batches = DistributionSummary.builder("followup.engine.claim.batch").baseUnit("follow-ups")
                .description("Follow-ups per claimed batch of due work").register(registry);
    }

    private Tags practice(PracticeId practiceId) {
        return practiceTag ? Tags.of("practice", practiceId.value()) : Tags.empty();
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void batchClaimed(int size) {
        batches.record(size);
    }

    @Override
    public void stepLag(PracticeId practiceId, Duration lag) {
        Timer.builder("followup.engine.lag").description("How late a due step was taken up").tags(practice(practiceId))
                .register(registry).record(lag);
    }

    @Override
    public void messageRecorded(PracticeId practiceId, Channel channel, MessagePurpose purpose, AttemptState state) {
        Counter.builder("followup.messages").description("Messages handed to a provider, by the state the provider's answer left them in")
                .tags(practice(practiceId)).tag("channel", tag(channel)).tag("purpose", tag(purpose)).tag("state", tag(state))
                .register(registry).increment();
    }

    @Override
    public void deliveryStatusApplied(PracticeId practiceId, Channel channel, DeliveryStatus status) {
        Counter.builder("followup.messages.delivery").description("Delivery statuses reported by providers")
                .tags(practice(practiceId)).tag("channel", tag(channel)).tag("status", tag(status)).register(registry).increment();
    }

    @Override
    public void replyHandled(PracticeId practiceId, ReplyKind kind, InboundResult.Action action) {
        Counter.builder("followup.replies").description("Inbound texts by how they were classified and what followed")
                .tags(practice(practiceId)).tag("kind", tag(kind)).tag("action", tag(action)).register(registry).increment();
    }

    @Override
    public void optedOut(PracticeId practiceId, ConsentSource source) {
        Counter.builder("followup.opt.outs").description("New opt-outs").tags(practice(practiceId)).tag("source", tag(source))
                .register(registry).increment();
    }

    @Override
    public void taskOpened(PracticeId practiceId, TaskKind kind) {
        Counter.builder("followup.tasks.opened").description("Staff tasks opened").tags(practice(practiceId)).tag("kind", tag(kind))
                .register(registry).increment();
    }
}
