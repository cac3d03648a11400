package dev.followup.spring;

import dev.followup.practice.Practice;
import dev.followup.spi.SmsSender;
import dev.followup.spring.internal.ConfiguredPractices;
import dev.followup.spring.internal.OnTwilioAccountCondition;
import dev.followup.spring.internal.PropertyTwilioAccounts;
import dev.followup.twilio.TwilioAccount;
import dev.followup.twilio.TwilioSmsSender;
import dev.followup.twilio.TwilioWebhooks;
import dev.followup.practice.PracticeId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The {@link TwilioSmsSender} and the {@link TwilioWebhooks} that check Twilio's signatures, when
 * followup-twilio is on the class path and a Twilio account is configured
 * ({@code followup.twilio.account-sid} or {@code followup.twilio.accounts.<practice-id>.*}). The
 * sender backs off when the application declares its own {@link SmsSender}.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "followup.enabled", matchIfMissing = true)
@ConditionalOnClass(name = {"dev.followup.twilio.TwilioSmsSender", "com.twilio.http.TwilioRestClient"})
@Conditional(OnTwilioAccountCondition.class)
@EnableConfigurationProperties(FollowUpProperties.class)
public final class FollowUpTwilioAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(FollowUpTwilioAutoConfiguration.class);

    /** Created by Spring. */
    public FollowUpTwilioAutoConfiguration() {}

    /**
     * @param properties {@code followup.*}
     * @param propertyPractices the practices of {@code followup.practices}
     * @param practices practice beans
     * @param clock the clock, if any
     * @return the sender, one REST client per practice
     */
    @Bean
    @ConditionalOnMissingBean(SmsSender.class)
    TwilioSmsSender followUpTwilioSmsSender(FollowUpProperties properties, ConfiguredPractices propertyPractices,
            ObjectProvider<Practice> practices, ObjectProvider<Clock> clock) {
        FollowUpProperties.Twilio twilio = properties.getTwilio();
        TwilioSmsSender.Builder b = TwilioSmsSender.builder().accounts(accounts(properties, propertyPractices, practices))
                .connectTimeout(twilio.getConnectTimeout()).readTimeout(twilio.getReadTimeout())
                .clock(clock.getIfAvailable(Clock::systemUTC));
        if (twilio.getPublicBaseUrl() != null && !twilio.getPublicBaseUrl().isBlank()) {
            b.publicBaseUrl(twilio.getPublicBaseUrl());
        }
        if (twilio.getApiBaseUrl() != null && !twilio.getApiBaseUrl().isBlank()) {
            b.apiBaseUrl(twilio.getApiBaseUrl());
        }
        return b.build();
    }

    /**
     * @param properties {@code followup.*}
     * @param propertyPractices the practices of {@code followup.practices}
     * @param practices practice beans
     * @param clock the clock, if any
     * @return the webhook checker and parser
     */
    @Bean
    @ConditionalOnMissingBean
    TwilioWebhooks followUpTwilioWebhooks(FollowUpProperties properties, ConfiguredPractices propertyPractices,
            ObjectProvider<Practice> practices, ObjectProvider<Clock> clock) {
        FollowUpProperties.Twilio twilio = properties.getTwilio();
        TwilioWebhooks.Builder b = TwilioWebhooks.builder().accounts(accounts(properties, propertyPractices, practices))
                .clock(clock.getIfAvailable(Clock::systemUTC));
        if (twilio.getPublicBaseUrl() != null && !twilio.getPublicBaseUrl().isBlank()) {
            b.publicBaseUrl(twilio.getPublicBaseUrl());
        } else {
            LOG.warn("followup.twilio.public-base-url is not set: webhook signatures are checked against the URL each request"
                    + " arrived at, which fails behind a proxy or load balancer, and sent texts carry no status callback");
        }
        return b.build();
    }

    private static Map<PracticeId, TwilioAccount> accounts(FollowUpProperties properties, ConfiguredPractices propertyPractices,
            ObjectProvider<Practice> beans) {
        List<Practice> all = new ArrayList<>(propertyPractices.practices());
        beans.orderedStream().forEach(all::add);
        return PropertyTwilioAccounts.of(properties.getTwilio(), all);
    }
}
