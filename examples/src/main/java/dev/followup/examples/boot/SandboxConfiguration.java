package dev.followup.examples.boot;

import dev.followup.FollowUpEngine;
import dev.followup.test.InMemoryScheduling;
import java.time.ZoneId;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the example adds to the starter: sandbox senders in place of Twilio and SMTP (the starter's
 * own senders back off when these beans exist), a scheduling system with open slots, and the
 * sample lists. Everything else — engine, store, scheduler, webhooks, health, metrics — comes from
 * the starter and {@code application.properties}.
 */
@Configuration(proxyBeanMethods = false)
public class SandboxConfiguration {

    /** Created by Spring. */
    public SandboxConfiguration() {}

    /** @return the SMS sandbox */
    @Bean
    public SandboxSmsSender sandboxSmsSender() {
        return new SandboxSmsSender();
    }

    /** @return the email sandbox */
    @Bean
    public SandboxEmailSender sandboxEmailSender() {
        return new SandboxEmailSender();
    }

    /**
     * @return open slots and bookings kept in memory: the vendor's scheduling system stands here
     *     (the test kit's, with weekday slots in Chicago time)
     */
    @Bean
    public InMemoryScheduling sandboxScheduling() {
        return new InMemoryScheduling(ZoneId.of("America/Chicago"));
    }

    /**
     * @param engine the engine
     * @return the loader of the sample lists ({@code followup-example.load-samples=false} skips it)
     */
    @Bean
    @ConditionalOnBooleanProperty(name = "followup-example.load-samples", matchIfMissing = true)
    public SampleLists sampleLists(FollowUpEngine engine) {
        return new SampleLists(engine);
    }
}
