package dev.followup.spring.internal;

import dev.followup.InvalidConfigurationException;
import dev.followup.conversation.ReplyKind;
import dev.followup.policy.EscalationPolicy;
import dev.followup.policy.Step;
import dev.followup.policy.Steps;
import dev.followup.spring.FollowUpProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds {@code followup.policies.<name>} through the policy DSL ({@link EscalationPolicy#named}),
 * step by step as code would, so properties and code meet the same checks and messages.
 */
public final class PropertyPolicies {
    private PropertyPolicies() {}

    /**
     * @param properties the starter's properties
     * @return the policies they configure
     * @throws InvalidConfigurationException naming the policy and step, if one is invalid
     */
    public static List<EscalationPolicy> of(FollowUpProperties properties) {
        List<EscalationPolicy> result = new ArrayList<>();
        for (Map.Entry<String, FollowUpProperties.Policy> e : properties.getPolicies().entrySet()) {
            String path = "followup.policies." + e.getKey();
            try {
                result.add(policy(e.getKey(), e.getValue(), path));
            } catch (InvalidConfigurationException ex) {
                throw ex.getMessage() != null && ex.getMessage().startsWith(path) ? ex
                        : new InvalidConfigurationException(path + ": " + ex.getMessage(), ex);
            }
        }
        return result;
    }

    private static EscalationPolicy policy(String name, FollowUpProperties.Policy p, String path) {
        List<FollowUpProperties.Step> steps = p.getSteps();
        if (steps.isEmpty()) {
            throw new InvalidConfigurationException(path + ".steps is empty: give at least steps[0].sms, .email or .staff-task");
        }
        if (steps.get(0).getAfter() != null) {
            throw new InvalidConfigurationException(path + ".steps[0].after is not allowed: the first step is taken at ingestion,"
                    + " within " + p.getWithin() + " (set within instead)");
        }
        EscalationPolicy.LadderBuilder ladder = EscalationPolicy.named(name).first(step(steps.get(0), path + ".steps[0]"))
                .within(p.getWithin());
        if (p.getSendWindow() != null) {
            ladder.during(PropertyPractices.window(p.getSendWindow()));
        }
        for (int i = 1; i < steps.size(); i++) {
            FollowUpProperties.Step s = steps.get(i);
            String stepPath = path + ".steps[" + i + "]";
            if (s.getAfter() == null) {
                throw new InvalidConfigurationException(stepPath + ".after is required: how long after the previous step,"
                        + " without a reply, this one falls due (e.g. 24h)");
            }
            ladder = ladder.ifNoReplyWithin(s.getAfter()).then(step(s, stepPath));
        }
        if (p.getCloseAfter() != null) {
            ladder = ladder.ifNoReplyWithin(p.getCloseAfter()).thenClose();
        }
        FollowUpProperties.OnYes onYes = p.getOnYes();
        ladder.onReply(ReplyKind.YES, onYes.getStaffTask() != null ? Steps.staffTask(onYes.getStaffTask()) : Steps.offerSlots(onYes.getOfferSlots()));
        ladder.choiceTimeout(p.getChoiceTimeout());
        return ladder.build();
    }

    private static Step step(FollowUpProperties.Step s, String path) {
        int given = (s.getSms() != null ? 1 : 0) + (s.getEmail() != null ? 1 : 0) + (s.getStaffTask() != null ? 1 : 0);
        if (given != 1) {
            throw new InvalidConfigurationException(path + " needs exactly one of sms (a template), email (a template) or staff-task"
                    + " (a task kind), found " + given);
        }
        if (s.getSms() != null) {
            return Steps.sms(s.getSms().strip());
        }
        if (s.getEmail() != null) {
            return Steps.email(s.getEmail().strip());
        }
        return Steps.staffTask(s.getStaffTask());
    }
}
