package dev.followup.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Spring Boot's start-up failure report carries the library's explanation. */
class InvalidConfigurationFailureAnalyzerTest {
    @Test
    void theReportNamesThePropertyToFix() {
        InvalidConfigurationException cause = new InvalidConfigurationException("followup.practices[0].time-zone is required");
        FailureAnalysis analysis = new InvalidConfigurationFailureAnalyzer()
                .analyze(new BeanCreationException("followUpEngine", "Failed to instantiate", cause));
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("followup.practices[0].time-zone is required");
        assertThat(analysis.getAction()).contains("followup.*");
    }
}
