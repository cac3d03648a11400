package dev.followup.policy;

import dev.followup.InvalidConfigurationException;
import dev.followup.followup.Channel;
import dev.followup.task.TaskKind;
import java.util.Objects;

/** Factories for the {@link Step}s of a policy. */
public final class Steps {
    private Steps() {
    }

    /**
     * @param template the name of an SMS template
     * @return a step that texts the patient
     */
    public static Step sms(String template) {
        return new Step.Message(Channel.SMS, requireName(template));
    }

    /**
     * @param template the name of an email template
     * @return a step that emails the patient
     */
    public static Step email(String template) {
        return new Step.Message(Channel.EMAIL, requireName(template));
    }

    /**
     * @param kind what the staff should do
     * @return a step that opens a staff task and ends the ladder
     */
    public static Step staffTask(TaskKind kind) {
        return new Step.StaffTask(Objects.requireNonNull(kind, "kind"));
    }

    /**
     * @param count how many slots, 1 to 9
     * @return a step that offers open slots
     */
    public static Step offerSlots(int count) {
        if (count < 1 || count > 9) {
            throw new InvalidConfigurationException("offerSlots takes 1 to 9 slots (one digit to reply with), was " + count);
        }
        return new Step.OfferSlots(count);
    }

    private static String requireName(String template) {
        if (template == null || !template.matches("[a-z0-9-]{1,40}")) {
            throw new InvalidConfigurationException("template name must be 1 to 40 lower-case letters, digits or dashes, was '" + template + "'");
        }
        return template;
    }
}
