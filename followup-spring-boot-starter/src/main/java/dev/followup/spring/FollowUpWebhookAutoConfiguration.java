package dev.followup.spring;

import dev.followup.FollowUpEngine;
import dev.followup.spring.internal.TwilioWebhookController;
import dev.followup.twilio.TwilioWebhooks;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Twilio's inbound-SMS and status webhooks as Spring MVC endpoints,
 * {@code POST {followup.twilio.webhook-path-prefix}/twilio/inbound/{practiceId}} and
 * {@code .../twilio/status/{practiceId}}, in a servlet web application with Spring MVC and a
 * configured Twilio account. Every request's {@code X-Twilio-Signature} is checked against
 * {@code followup.twilio.public-base-url} before anything else; a wrong one is answered 403.
 * Switched off with {@code followup.twilio.webhooks-enabled=false}.
 */
@AutoConfiguration(after = {FollowUpAutoConfiguration.class, FollowUpTwilioAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "followup.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "followup.twilio.webhooks-enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"org.springframework.web.servlet.DispatcherServlet", "dev.followup.twilio.TwilioWebhooks"})
@ConditionalOnBean({TwilioWebhooks.class, FollowUpEngine.class})
public final class FollowUpWebhookAutoConfiguration {

    /** Created by Spring. */
    public FollowUpWebhookAutoConfiguration() {}

    /**
     * @param webhooks the signature checker
     * @param engine the engine
     * @return the controller
     */
    @Bean
    @ConditionalOnMissingBean(name = "followUpTwilioWebhookController")
    TwilioWebhookController followUpTwilioWebhookController(TwilioWebhooks webhooks, FollowUpEngine engine) {
        return new TwilioWebhookController(webhooks, engine);
    }
}
