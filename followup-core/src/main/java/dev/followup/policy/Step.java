package dev.followup.policy;

import dev.followup.followup.Channel;
import dev.followup.task.TaskKind;

/**
 * One thing a policy does: send a message, open a staff task, or offer slots. Made by the factories
 * of {@link Steps}.
 */
public sealed interface Step {

    /**
     * Send a message from a template.
     *
     * @param channel SMS or EMAIL
     * @param template the template name
     */
    record Message(Channel channel, String template) implements Step {}

    /**
     * Hand the follow-up to staff; ends the ladder.
     *
     * @param kind what the staff should do
     */
    record StaffTask(TaskKind kind) implements Step {}

    /**
     * Offer open slots to a patient who said yes.
     *
     * @param count how many slots to offer, 1 to 9 (one digit to reply with)
     */
    record OfferSlots(int count) implements Step {}
}
