package dev.followup.spring.internal;

import dev.followup.InvalidConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a start-up failure caused by the library's configuration checks into Spring Boot's
 * "APPLICATION FAILED TO START" report, with the library's own explanation (which names the
 * property or setting to fix, and never PHI or key material).
 */
public final class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
        return new FailureAnalysis("Followup is not configured correctly: " + cause.getMessage(),
                "Fix the followup.* properties named above (see the followup-spring-boot-starter README), or declare the bean"
                        + " in question yourself.", cause);
    }
}
