package dev.followup.spring.internal;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when an SMTP host is configured: {@code followup.email.host} or {@code spring.mail.host}. */
public final class OnSmtpHostCondition extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Environment env = context.getEnvironment();
        for (String property : new String[] {"followup.email.host", "spring.mail.host"}) {
            String host = env.getProperty(property);
            if (host != null && !host.isBlank()) {
                return ConditionOutcome.match(property + " is set");
            }
        }
        return ConditionOutcome.noMatch("neither followup.email.host nor spring.mail.host is set");
    }
}
