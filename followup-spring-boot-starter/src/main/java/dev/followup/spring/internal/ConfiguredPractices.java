package dev.followup.spring.internal;

import dev.followup.InvalidConfigurationException;
import dev.followup.practice.Practice;
import dev.followup.spring.FollowUpProperties;
import java.util.List;

/**
 * The practices of {@code followup.practices}, converted once at start-up and shared as one bean,
 * so that every part of the starter that needs them works on the same {@link Practice} objects
 * and none can read the properties differently from the engine.
 */
public final class ConfiguredPractices {
    private final List<PropertyPractices.Configured> configured;

    /**
     * @param properties the starter's properties
     * @throws InvalidConfigurationException naming the property, if a practice is missing or invalid
     */
    public ConfiguredPractices(FollowUpProperties properties) {
        this.configured = List.copyOf(PropertyPractices.of(properties));
    }

    /** @return each practice with its settings and send rate, in property order */
    public List<PropertyPractices.Configured> configured() {
        return configured;
    }

    /** @return the practices alone, in property order */
    public List<Practice> practices() {
        return configured.stream().map(PropertyPractices.Configured::practice).toList();
    }

    /** @return how many there are; never their contents */
    @Override
    public String toString() {
        return "ConfiguredPractices[" + configured.size() + "]";
    }
}
