package dev.followup.spring.internal;

import dev.followup.spring.FollowUpProperties;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when a Twilio account is configured: {@code followup.twilio.account-sid}, or at least one
 * {@code followup.twilio.accounts.<practice-id>} entry.
 */
public final class OnTwilioAccountCondition extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Binder binder = Binder.get(context.getEnvironment());
        String sid = context.getEnvironment().getProperty("followup.twilio.account-sid");
        if (sid != null && !sid.isBlank()) {
            return ConditionOutcome.match("followup.twilio.account-sid is set");
        }
        boolean accounts = binder.bind("followup.twilio.accounts", Bindable.mapOf(String.class, FollowUpProperties.Account.class))
                .map(Map::isEmpty).map(empty -> !empty).orElse(false);
        return accounts ? ConditionOutcome.match("followup.twilio.accounts is set")
                : ConditionOutcome.noMatch("neither followup.twilio.account-sid nor followup.twilio.accounts is set");
    }
}
