package dev.followup.spring;

import dev.followup.FollowUpEngine;
import dev.followup.InvalidConfigurationException;
import dev.followup.spi.SmsSender;
import dev.followup.spring.internal.OnTwilioAccountCondition;
import dev.followup.spring.internal.PropertyTwilioAccounts;
import dev.followup.twilio.TwilioSmsSender;
import dev.followup.twilio.TwilioWebhooks;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
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
 *
 * <p>Both cover every practice the engine serves, wherever it was added: in
 * {@code followup.practices}, as a {@link dev.followup.practice.Practice} bean, or by a
 * {@link FollowUpEngineCustomizer}. A practice uses its own account
 * ({@code followup.twilio.accounts.<practice-id>}) if it has one, else the default account
 * ({@code followup.twilio.account-sid}). When the starter's sender is in use and a practice that
 * texts has neither, the application does not start: the failure names the practice and the
 * property to set, rather than its first text failing hours later.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "followup.enabled", matchIfMissing = true)
@ConditionalOnClass(name = {"dev.followup.twilio.TwilioSmsSender", "com.twilio.http.TwilioRestClient"})
@Conditional(OnTwilioAccountCondition.class)
@EnableConfigurationProperties(FollowUpProperties.class)
public final class FollowUpTwilioAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(FollowUpTwilioAutoConfiguration.class);
    private static final String SENDER_BEAN = "followUpTwilioSmsSender";

    /** Created by Spring. */
    public FollowUpTwilioAutoConfiguration() {}

    /**
     * The sender. The engine is built with it, so it cannot wait for the engine's list of
     * practices: it holds the practices' own accounts and sends for every other practice through
     * the default account.
     *
     * @param properties {@code followup.*}
     * @param clock the clock, if any
     * @return the sender, one REST client per account
     */
    @Bean(SENDER_BEAN)
    @ConditionalOnMissingBean(SmsSender.class)
    public TwilioSmsSender followUpTwilioSmsSender(FollowUpProperties properties, ObjectProvider<Clock> clock) {
        FollowUpProperties.Twilio twilio = properties.getTwilio();
        TwilioSmsSender.Builder b = TwilioSmsSender.builder().accounts(PropertyTwilioAccounts.own(twilio))
                .connectTimeout(twilio.getConnectTimeout()).readTimeout(twilio.getReadTimeout())
                .clock(clock.getIfAvailable(Clock::systemUTC));
        PropertyTwilioAccounts.defaultAccount(twilio).ifPresent(b::defaultAccount);
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
     * @param engine the engine, whose practices are the ones webhooks arrive for
     * @param clock the clock, if any
     * @return the webhook checker and parser
     */
    @Bean
    @ConditionalOnMissingBean
    public TwilioWebhooks followUpTwilioWebhooks(FollowUpProperties properties, FollowUpEngine engine, ObjectProvider<Clock> clock) {
        FollowUpProperties.Twilio twilio = properties.getTwilio();
        TwilioWebhooks.Builder b = TwilioWebhooks.builder().accounts(PropertyTwilioAccounts.of(twilio, engine.practices()))
                .clock(clock.getIfAvailable(Clock::systemUTC));
        if (twilio.getPublicBaseUrl() != null && !twilio.getPublicBaseUrl().isBlank()) {
            b.publicBaseUrl(twilio.getPublicBaseUrl());
        } else {
            LOG.warn("followup.twilio.public-base-url is not set: webhook signatures are checked against the URL each request"
                    + " arrived at, which fails behind a proxy or load balancer, and sent texts carry no status callback");
        }
        return b.build();
    }

    /**
     * Once every bean exists: when the starter's sender is in use, every practice of the engine
     * that texts must have a Twilio account.
     *
     * @param engine the engine, if any
     * @param beans to find out whether the starter's sender is in use
     * @return the check
     * @throws InvalidConfigurationException at start-up, naming the practice and the property to set
     */
    @Bean
    SmartInitializingSingleton followUpTwilioAccountCheck(ObjectProvider<FollowUpEngine> engine, BeanFactory beans) {
        return () -> {
            FollowUpEngine theEngine = engine.getIfUnique();
            // An application's own SmsSender may serve practices that have no Twilio account: only the starter's is asked.
            if (theEngine != null && beans.containsBean(SENDER_BEAN)) {
                PropertyTwilioAccounts.requireAccountOfEveryTextingPractice(beans.getBean(SENDER_BEAN, TwilioSmsSender.class),
                        theEngine.practices());
            }
        };
    }
}
