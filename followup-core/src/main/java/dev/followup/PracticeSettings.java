package dev.followup;

import dev.followup.followup.FollowUpType;
import dev.followup.message.MessageTemplates;
import dev.followup.report.ReportSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a practice configures beyond its identity: its templates, which escalation policy runs its
 * follow-ups (by default and per follow-up type), and the figures its report is computed from.
 * Immutable; every {@code with…} returns a new value.
 */
public final class PracticeSettings {
    private static final PracticeSettings DEFAULTS = new PracticeSettings(MessageTemplates.defaults(), "standard", Map.of(), ReportSettings.defaults());
    private final MessageTemplates templates;
    private final String defaultPolicy;
    private final Map<FollowUpType, String> policyByType;
    private final ReportSettings report;

    private PracticeSettings(MessageTemplates templates, String defaultPolicy, Map<FollowUpType, String> policyByType, ReportSettings report) {
        this.templates = templates;
        this.defaultPolicy = defaultPolicy;
        this.policyByType = Map.copyOf(policyByType);
        this.report = report;
    }

    /** @return the built-in templates, the standard policy, and default report figures */
    public static PracticeSettings defaults() {
        return DEFAULTS;
    }

    /**
     * @param newTemplates the practice's templates
     * @return new settings
     */
    public PracticeSettings withTemplates(MessageTemplates newTemplates) {
        return new PracticeSettings(Objects.requireNonNull(newTemplates), defaultPolicy, policyByType, report);
    }

    /**
     * @param policyName the policy for follow-ups without a type-specific one
     * @return new settings
     */
    public PracticeSettings withDefaultPolicy(String policyName) {
        return new PracticeSettings(templates, Objects.requireNonNull(policyName), policyByType, report);
    }

    /**
     * @param type a follow-up type
     * @param policyName the policy for follow-ups of that type
     * @return new settings
     */
    public PracticeSettings withPolicy(FollowUpType type, String policyName) {
        Map<FollowUpType, String> copy = new HashMap<>(policyByType);
        copy.put(Objects.requireNonNull(type), Objects.requireNonNull(policyName));
        return new PracticeSettings(templates, defaultPolicy, copy, report);
    }

    /**
     * @param settings the report figures
     * @return new settings
     */
    public PracticeSettings withReport(ReportSettings settings) {
        return new PracticeSettings(templates, defaultPolicy, policyByType, Objects.requireNonNull(settings));
    }

    /** @return the templates */
    public MessageTemplates templates() {
        return templates;
    }

    /**
     * @param type a follow-up type
     * @return the name of the policy that runs it
     */
    public String policyFor(FollowUpType type) {
        return policyByType.getOrDefault(type, defaultPolicy);
    }

    /** @return every policy name these settings refer to */
    public java.util.Set<String> policyNames() {
        java.util.Set<String> names = new java.util.TreeSet<>(policyByType.values());
        names.add(defaultPolicy);
        return names;
    }

    /** @return the report figures */
    public ReportSettings report() {
        return report;
    }
}
